import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ESM_REQUIRE_BANNER, RUNTIME_PROVIDED_MODULES } from '../../../infra/constructs/private/bundling.ts';
import { PROJECT_ROOT } from '../../../infra/constructs/private/project.ts';

// Inside the project, so the bundles resolve the runtime-provided @aws-sdk/* from node_modules as Lambda would.
const outRoot = resolve(PROJECT_ROOT, '.stepflow/test/powertools-bundle');

/** Bundles `entry` as the stack does (infra/constructs/private/bundling.ts: ESM, minified, @aws-sdk/* external). */
async function bundle(entry: string, name: string): Promise<string> {
  const outfile = join(outRoot, name, 'index.mjs');
  mkdirSync(join(outRoot, name), { recursive: true });
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    mainFields: ['module', 'main'],
    external: RUNTIME_PROVIDED_MODULES,
    minify: true,
    banner: { js: ESM_REQUIRE_BANNER },
    outfile,
    logLevel: 'silent',
  });
  return outfile;
}

describe('Lambda bundles with Powertools', () => {
  afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

  it('builds a task bundle that, run as Lambda runs it, logs JSON lines carrying the execution and task ids', async () => {
    const file = await bundle(resolve(import.meta.dirname, 'fixtures/charge-task.ts'), 'task');
    const script =
      `const { handler } = await import(${JSON.stringify(pathToFileURL(file).href)});` +
      `const result = await handler({ task: 'charge', workflow: 'orders', execution: 'arn:aws:states:eu-west-1:1:execution:S-orders:run-9', attempt: 1, input: { amount: 2 }, results: {} }, { functionName: 'charge', awsRequestId: 'r-9' });` +
      `process.stdout.write('RESULT ' + JSON.stringify(result) + '\\n');`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, AWS_LAMBDA_FUNCTION_NAME: 'charge', AWS_REGION: 'eu-west-1' },
    });
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
    const charging = lines.find((line) => line.message === 'charging');
    expect(charging).toMatchObject({ executionId: 'arn:aws:states:eu-west-1:1:execution:S-orders:run-9', task: 'charge', workflow: 'orders', level: 'INFO' });
    expect(lines.some((line) => line._aws !== undefined && line.TaskSucceeded === 1)).toBe(true);
    expect(run.stdout).toContain('RESULT {"charged":true}');
  });

  it('builds the recorder, API, dispatcher, coordinator and service invoker bundles', async () => {
    for (const name of ['recorder', 'api', 'scheduling', 'coordinator', 'service-invoker']) {
      await expect(bundle(resolve(PROJECT_ROOT, `functions/${name}/handler.ts`), name)).resolves.toMatch(/index\.mjs$/);
    }
  });
});
