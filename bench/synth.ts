/**
 * Synth time against project size: seconds to load, compile and synthesize (cdk-nag included, real
 * esbuild bundling) 10 and 100 generated workflows that share a handful of handlers. Since each handler
 * is bundled once however many workflows use it, bundling stays flat and the ratio shows how the rest
 * (compiling, constructs, nag, templates) grows. Goal: seconds100 / seconds10 ≤ 10.
 *
 * Run alone: `npx tsx bench/synth.ts`.
 */
import { App, AssetStaging } from 'aws-cdk-lib';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadProject } from '../project/load-project.ts';
import { PROJECT_ROOT } from '../infra/constructs/private/project.ts';
import { addNagChecks } from '../infra/stacks/nag.ts';
import { StepflowStack } from '../infra/stacks/stepflow-stack.ts';

export interface SynthFigures {
  readonly seconds10: number;
  readonly seconds100: number;
  readonly ratio: number;
}

/** The handlers generated workflows share (files under functions/tasks). */
const SHARED_HANDLERS = ['fetch_records.ts', 'enrich_records.ts', 'aggregate.ts#byRegion', 'summarise.ts'];

export async function synthBench(): Promise<SynthFigures> {
  const root = resolve(PROJECT_ROOT, '.stepflow/bench/synth');
  rmSync(root, { recursive: true, force: true });
  // Warm-up: load the CDK modules once, so the first measurement does not pay for it.
  synthesize(generate(join(root, 'warmup'), 1), join(root, 'warmup.out'), false);
  const seconds10 = timed(() => synthesize(generate(join(root, 'ten'), 10), join(root, 'ten.out'), true));
  const seconds100 = timed(() => synthesize(generate(join(root, 'hundred'), 100), join(root, 'hundred.out'), true));
  return { seconds10: round(seconds10), seconds100: round(seconds100), ratio: round(seconds100 / seconds10) };
}

/** `count` definitions in `dir`: a fetch, two parallel steps and a join, drawn from SHARED_HANDLERS. */
function generate(dir: string, count: number): string {
  mkdirSync(dir, { recursive: true });
  const tasks = resolve(PROJECT_ROOT, 'functions/tasks');
  for (let i = 0; i < count; i++) {
    const pick = (k: number) => `${join(tasks, SHARED_HANDLERS[(i + k) % SHARED_HANDLERS.length])}`;
    const handler = (k: number) => (pick(k).includes('#') ? pick(k) : `${pick(k)}#handler`);
    writeFileSync(
      join(dir, `generated_${String(i).padStart(3, '0')}.yaml`),
      [
        'workflow:',
        `  name: generated_${i}`,
        '  engine:',
        '    type: parallel',
        '    timeout: 10m',
        '  tasks:',
        `    - { name: first, handler: "${handler(0)}", timeout: 30s }`,
        `    - { name: left, handler: "${handler(1)}", depends_on: [first] }`,
        `    - { name: right, handler: "${handler(2)}", depends_on: [first] }`,
        `    - { name: last, handler: "${handler(3)}", depends_on: [left, right] }`,
        '',
      ].join('\n'),
    );
  }
  return dir;
}

const WORKFLOWS_PER_STACK = 50;

function synthesize(definitions: string, outdir: string, bundle: boolean): void {
  AssetStaging.clearAssetHashCache();
  const { plans, diagnostics } = loadProject(definitions, { projectRoot: PROJECT_ROOT });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`generated definitions do not compile: ${JSON.stringify(errors)}`);
  const app = new App({ outdir, context: bundle ? {} : { 'aws:cdk:bundling-stacks': [] } });
  addNagChecks(app);
  // CloudFormation allows 500 resources a stack and a workflow brings about four (state machine, role,
  // policy, log group), so large projects split their workflows over stacks, as this does.
  for (let i = 0; i * WORKFLOWS_PER_STACK < plans.length; i++) {
    new StepflowStack(app, `Bench${i}`, { plans: plans.slice(i * WORKFLOWS_PER_STACK, (i + 1) * WORKFLOWS_PER_STACK) });
  }
  app.synth();
}

function timed(work: () => void): number {
  const start = performance.now();
  work();
  return (performance.now() - start) / 1000;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await synthBench(), null, 2));
}
