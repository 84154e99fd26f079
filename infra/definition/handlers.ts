import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { HandlerRef } from './model.ts';

/** The nearest folder above `file` holding a package.json: default handler paths start there. */
export function projectRootOf(file: string): string {
  let dir = dirname(resolve(file));
  while (!existsSync(resolve(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return dirname(resolve(file));
    dir = parent;
  }
  return dir;
}

/**
 * `path#export`, relative to the definition file; without a handler, `functions/tasks/<name>.ts#handler`
 * in the project root.
 */
export function resolveHandler(definitionFile: string, taskName: string, handler?: string): HandlerRef {
  if (!handler) {
    return { file: resolve(projectRootOf(definitionFile), 'functions/tasks', `${taskName}.ts`), exportName: 'handler' };
  }
  const [path, exportName = 'handler'] = handler.split('#');
  return { file: resolve(dirname(resolve(definitionFile)), path), exportName };
}

/**
 * Whether a module declares the export, read from its source rather than imported: importing would run
 * the module's top-level code at validation time.
 */
export function declaresExport(source: string, exportName: string): boolean {
  const name = exportName.replace(/[$]/g, '\\$');
  if (exportName === 'default') return /\bexport\s+default\b/.test(source);
  const declared = new RegExp(`\\bexport\\s+(?:async\\s+)?(?:const|let|var|function\\*?|class)\\s+${name}\\b`);
  const listed = new RegExp(`\\bexport\\s*\\{[^}]*\\b(?:as\\s+)?${name}\\b[^}]*\\}`);
  return declared.test(source) || listed.test(source);
}

export function readModule(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}
