import { existsSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(import.meta.url);

/**
 * Root of stepflow's own modules (the folder holding core/, functions/, infra/ …): the repository when
 * running from the sources, `dist/` of the installed package when running the built JavaScript.
 */
const MODULES_ROOT = resolve(dirname(HERE), '../../..');

/** `.ts` when running from the sources (tsx, vitest), `.js` in the built package. */
const MODULE_EXTENSION = extname(HERE);

/** Root of the stepflow package (the folder holding its package.json). */
export const PROJECT_ROOT = findRoot(dirname(HERE));

/**
 * Entry of one of stepflow's own Lambda handlers, named by its source path (`functions/api/handler.ts`):
 * that source file in a checkout, its compiled `.js` twin under `dist/` once the package is installed.
 */
export function projectFile(relative: string): string {
  return resolve(MODULES_ROOT, relative.replace(/\.ts$/, MODULE_EXTENSION));
}

/**
 * Where NodejsFunction runs esbuild and which lock file it hashes. In stepflow's own checkout, the
 * checkout. Installed as a package it has no lock file of its own, and task handlers live in the app
 * that installed it, so NodejsFunction's default applies: the folder of the nearest lock file above
 * the working directory (the app's), which holds node_modules/stepflow too.
 */
export const BUNDLING_ROOT: { readonly projectRoot?: string; readonly depsLockFilePath?: string } = existsSync(resolve(PROJECT_ROOT, 'package-lock.json'))
  ? { projectRoot: PROJECT_ROOT, depsLockFilePath: resolve(PROJECT_ROOT, 'package-lock.json') }
  : {};

function findRoot(dir: string): string {
  let current = dir;
  while (!existsSync(resolve(current, 'package.json'))) {
    const parent = dirname(current);
    if (parent === current) return dir;
    current = parent;
  }
  return current;
}
