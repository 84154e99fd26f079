/**
 * `npm run bench` runs every benchmark and prints its figures; `-- --json` prints one JSON object,
 * `-- --only a,b` runs some of them. Figures are measured here, never asserted in tests.
 */
import { parseArgs } from 'node:util';
import { bundleBench } from './bundle.ts';
import { cliBench } from './cli.ts';
import { consoleBench } from './console.ts';
import { historyBench } from './history.ts';
import { compileBench } from './compile.ts';
import { engineBench } from './engine.ts';
import { eventMatchBench } from './event-match.ts';
import { makespanBench } from './makespan.ts';
import { persistenceBench } from './persistence.ts';
import { poolBench } from './pool.ts';
import { poolRecoveryBench } from './pool-recovery.ts';
import { recoveryBench } from './recovery.ts';
import { synthBench } from './synth.ts';
import { transitionsBench } from './transitions.ts';
import { scheduleDriftBench } from './schedule-drift.ts';
import { sagaBench } from './saga.ts';
import { aggregationBench, orchestratorOverheadBench } from './service-orchestration.ts';
import { pipelineBench } from './pipeline.ts';

const BENCHMARKS: Record<string, () => Promise<unknown>> = {
  transitions: transitionsBench,
  makespan: makespanBench,
  compile: compileBench,
  engine: engineBench,
  persistence: persistenceBench,
  recovery: recoveryBench,
  bundle: bundleBench,
  synth: synthBench,
  eventMatch: eventMatchBench,
  scheduleDrift: scheduleDriftBench,
  pool: () => poolBench(),
  poolRecovery: () => poolRecoveryBench(),
  cli: () => cliBench(),
  console: () => consoleBench(),
  history: () => historyBench(),
  saga: () => sagaBench(),
  orchestratorOverhead: () => orchestratorOverheadBench(),
  aggregation: () => aggregationBench(),
  pipeline: () => pipelineBench(),
};

// Handlers' JSON log lines would drown the figures.
process.env.STEPFLOW_LOG ??= 'off';

const { values } = parseArgs({ options: { json: { type: 'boolean' }, only: { type: 'string' } } });
const names = values.only ? values.only.split(',') : Object.keys(BENCHMARKS);
const unknown = names.filter((n) => !(n in BENCHMARKS));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}`);
  process.exit(2);
}

const figures: Record<string, unknown> = {};
for (const name of names) {
  const started = performance.now();
  console.error(`▶ ${name}…`);
  try {
    figures[name] = await BENCHMARKS[name]();
  } catch (error) {
    figures[name] = { error: (error as Error).message };
  }
  console.error(`  ${name} done in ${((performance.now() - started) / 1000).toFixed(1)}s`);
  if (!values.json) console.log(`${name}: ${JSON.stringify(figures[name], null, 2)}`);
}
if (values.json) console.log(JSON.stringify(figures));
