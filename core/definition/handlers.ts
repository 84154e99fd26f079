import { dirname, resolve } from 'node:path';
import type { HandlerRef } from './model.ts';

/**
 * `path#export`, relative to the definition file; without a handler, `functions/tasks/<name>.ts#handler`
 * in the project root.
 */
export function resolveHandler(definitionFile: string, projectRoot: string, taskName: string, handler?: string): HandlerRef {
  if (!handler) {
    return { file: resolve(projectRoot, 'functions/tasks', `${taskName}.ts`), exportName: 'handler' };
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
