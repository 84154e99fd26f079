/**
 * Task Lambda bundles: size and cold-start import time against the unbundled handler.
 *
 * For each distinct task handler of `definitions/`, builds the bundle exactly as the stack does
 * (`infra/constructs/private/bundling.ts`: ESM, minified, node24, `@aws-sdk/*` left to the runtime) and
 * compares it with the handler's unbundled closure: the bytes of every module file the handler resolves,
 * its own sources and the node_modules files it imports (esbuild's metafile inputs; `@aws-sdk/*` excluded
 * on both sides since the runtime provides it). Init time is the time a fresh `node` process takes to
 * import the module (median of several runs): the bundle vs the handler's `.ts` source through plain node.
 *
 * Goals: sizeRatio ≤ 0.15, initRatio ≤ 0.35. Run alone: `npx tsx bench/bundle.ts`.
 */
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadProject } from '../project/load-project.ts';
import { ESM_REQUIRE_BANNER, RUNTIME_PROVIDED_MODULES } from '../infra/constructs/private/bundling.ts';
import { PROJECT_ROOT } from '../infra/constructs/private/project.ts';

export interface BundleFigures {
  /** Handler as `path#export`, relative to the project root. */
  readonly handler: string;
  readonly bundledBytes: number;
  readonly unbundledBytes: number;
  readonly sizeRatio: number;
  readonly bundledInitMs: number;
  readonly unbundledInitMs: number;
  readonly initRatio: number;
}

const INIT_RUNS = 5;

export async function bundleBench(): Promise<BundleFigures[]> {
  const { plans } = loadProject(resolve(PROJECT_ROOT, 'definitions'), { projectRoot: PROJECT_ROOT });
  const handlers = new Map<string, { file: string; exportName: string }>();
  for (const plan of plans) for (const f of plan.functions) handlers.set(f.id, f.handler);

  // Inside the project so that bundles resolve the runtime-provided @aws-sdk/* from node_modules.
  const outRoot = resolve(PROJECT_ROOT, '.stepflow/bench/bundle');
  rmSync(outRoot, { recursive: true, force: true });
  const figures: BundleFigures[] = [];
  for (const [id, handler] of handlers) {
    const outdir = join(outRoot, id);
    mkdirSync(outdir, { recursive: true });
    const common = {
      entryPoints: [handler.file],
      bundle: true,
      platform: 'node' as const,
      format: 'esm' as const,
      target: 'node24',
      mainFields: ['module', 'main'],
      external: RUNTIME_PROVIDED_MODULES,
      logLevel: 'silent' as const,
    };
    await build({ ...common, outfile: join(outdir, 'index.mjs'), minify: true, sourcemap: true, sourcesContent: false, banner: { js: ESM_REQUIRE_BANNER } });
    const closure = await build({ ...common, write: false, metafile: true, outfile: join(outdir, 'closure.mjs') });
    const unbundledBytes = Object.keys(closure.metafile.inputs).reduce((sum, input) => sum + statSync(resolve(input)).size, 0);
    const bundledBytes = statSync(join(outdir, 'index.mjs')).size;
    const bundledInitMs = medianImportMs(join(outdir, 'index.mjs'));
    const unbundledInitMs = medianImportMs(handler.file);
    figures.push({
      handler: `${relative(PROJECT_ROOT, handler.file)}#${handler.exportName}`,
      bundledBytes,
      unbundledBytes,
      sizeRatio: round(bundledBytes / unbundledBytes),
      bundledInitMs: round(bundledInitMs),
      unbundledInitMs: round(unbundledInitMs),
      initRatio: round(bundledInitMs / unbundledInitMs),
    });
  }
  return figures;
}

/** Milliseconds a fresh node process spends importing `file` (median of INIT_RUNS processes). */
function medianImportMs(file: string): number {
  const script =
    `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); ` +
    'process.stdout.write(String(performance.now() - t));';
  const times: number[] = [];
  for (let i = 0; i < INIT_RUNS; i++) {
    const run = spawnSync(process.execPath, ['--no-warnings', '--input-type=module', '-e', script], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`importing ${file} failed: ${run.stderr}`);
    times.push(Number(run.stdout));
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await bundleBench(), null, 2));
}
