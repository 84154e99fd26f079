/**
 * Start-up of the `stepflow` command as users run it: median wall time of `stepflow validate <file>` and
 * `stepflow compile <file>` on one small definition, each a child process of the compiled bin
 * (cli/bin.mjs → dist/), against `node -e ""` on the same Node binary. The three are sampled in turn, so
 * load on the machine weighs on all of them alike. Goal: at most 500 ms over bare Node.
 *
 * Builds dist/ first (`npm run build`) when it is missing or older than the sources.
 * Run alone: `npx tsx bench/cli.ts` (`-- --samples N`, default 9).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

export interface CliFigures {
  readonly samples: number;
  readonly file: string;
  /** Median milliseconds of `node -e ""`. */
  readonly nodeMs: number;
  readonly validateMs: number;
  readonly compileMs: number;
  readonly validateOverNodeMs: number;
  readonly compileOverNodeMs: number;
}

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'cli/bin.mjs');
const BUILT = join(ROOT, 'dist/cli/main.js');
const FILE = 'definitions/order-pipeline.yaml';
/** What the compiled CLI is built from. */
const SOURCES = ['cli', 'core', 'project', 'functions', 'infra', 'local', 'client'];

export async function cliBench(samples = 9): Promise<CliFigures> {
  ensureBuilt();
  const commands = {
    node: ['-e', ''],
    validate: [BIN, 'validate', FILE],
    compile: [BIN, 'compile', FILE],
  } as const;
  const times: Record<keyof typeof commands, number[]> = { node: [], validate: [], compile: [] };
  // One unmeasured round warms the file system cache.
  for (const args of Object.values(commands)) timed(args);
  for (let i = 0; i < samples; i++) {
    for (const [name, args] of Object.entries(commands) as [keyof typeof commands, readonly string[]][]) times[name].push(timed(args));
  }
  const nodeMs = median(times.node);
  const validateMs = median(times.validate);
  const compileMs = median(times.compile);
  return {
    samples,
    file: FILE,
    nodeMs,
    validateMs,
    compileMs,
    validateOverNodeMs: validateMs - nodeMs,
    compileOverNodeMs: compileMs - nodeMs,
  };
}

/** Wall milliseconds of one child process of this Node binary; it must exit 0. */
function timed(args: readonly string[]): number {
  const started = performance.now();
  const child = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  const elapsed = performance.now() - started;
  if (child.status !== 0) throw new Error(`node ${args.join(' ')} exited ${child.status}: ${child.stderr}`);
  return elapsed;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return Math.round(sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2);
}

function ensureBuilt(): void {
  if (existsSync(BUILT) && statSync(BUILT).mtimeMs >= newestSource()) return;
  console.error('  building dist/ (npm run build)…');
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
}

function newestSource(): number {
  let newest = 0;
  for (const folder of SOURCES) {
    for (const entry of readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { samples: { type: 'string' } } });
  console.log(JSON.stringify(await cliBench(values.samples ? Number(values.samples) : undefined), null, 2));
}
