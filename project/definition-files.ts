import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { DefinitionHost } from '../core/definition/host.ts';
import { parseDefinition, type LoadResult } from '../core/definition/parse.ts';

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

/** A host backed by the disk: handler modules are read, not imported (importing runs their top-level code). */
export function fileHost(definitionFile: string, projectRoot = projectRootOf(definitionFile)): DefinitionHost {
  return {
    projectRoot,
    readModule: (file) => (existsSync(file) ? readFileSync(file, 'utf8') : undefined),
    displayPath: shownPath,
  };
}

/** Paths as a person in the project sees them. */
export function shownPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

/** Reads, parses and validates one definition file. */
export function loadDefinition(file: string, options: { readonly projectRoot?: string } = {}): LoadResult {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { diagnostics: [{ code: 'file_unreadable', severity: 'error', file, path: [], message: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` }] };
  }
  return parseDefinition(text, path, fileHost(path, options.projectRoot), file);
}

/** Parses a definition's text as if it were the file `file` on disk (handlers are checked there). */
export function loadDefinitionText(text: string, file: string, displayFile = file): LoadResult {
  return parseDefinition(text, file, fileHost(file), displayFile);
}
