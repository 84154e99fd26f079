import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of the stepflow project (the folder holding package.json and package-lock.json). */
export const PROJECT_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/** Default entry of one of the project's own Lambda handlers, e.g. `functions/api/handler.ts`. */
export function projectFile(relative: string): string {
  return resolve(PROJECT_ROOT, relative);
}

function findRoot(dir: string): string {
  let current = dir;
  while (!existsSync(resolve(current, 'package.json'))) {
    const parent = dirname(current);
    if (parent === current) return dir;
    current = parent;
  }
  return current;
}
