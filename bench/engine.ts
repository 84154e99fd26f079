/**
 * Offline engine throughput: executions/s of a 10-task no-op DAG through the LocalEngine, divided by
 * the same ASL run raw by aws-local-stepfunctions with the same handlers, in the same process.
 */
import { StateMachine } from 'aws-local-stepfunctions';
import { compileWorkflow } from '../core/compiler/compile.ts';
import type { WorkflowPlan } from '../core/compiler/plan.ts';
import { loadDefinition } from '../project/definition-files.ts';
import { LocalEngine } from '../local/engine/local-engine.ts';
import { handler as noop } from './fixtures/noop.ts';

export interface EngineFigures {
  readonly executions: number;
  readonly engineExecutionsPerSecond: number;
  readonly rawExecutionsPerSecond: number;
  /** Median over rounds of engine ÷ raw; goal ≥ 0.8. */
  readonly ratio: number;
}

export function benchPlan(): WorkflowPlan {
  const { definition, diagnostics } = loadDefinition(new URL('./fixtures/ten-task-dag.yaml', import.meta.url).pathname);
  if (!definition) throw new Error(diagnostics.map((d) => d.message).join('; '));
  return compileWorkflow(definition);
}

export async function engineBench(options: { executions?: number; concurrency?: number } = {}): Promise<EngineFigures> {
  const executions = options.executions ?? 200;
  const concurrency = options.concurrency ?? 10;
  const plan = benchPlan();

  const engine = new LocalEngine({ plans: [plan] });
  const runEngine = async () => {
    const started = await engine.start(plan.name, { n: 1 });
    const done = await engine.wait(started.executionArn);
    if (done.status !== 'SUCCEEDED') throw new Error(`engine execution ${done.status}: ${done.cause}`);
  };

  // The raw library needs real ARNs and one override per Task state.
  const asl = JSON.parse(JSON.stringify(plan.asl).replace(/\$\{(\w+)\}/g, 'arn:aws:lambda:us-east-1:000000000000:function:$1'));
  const machine = new StateMachine(asl, { validationOptions: { checkArn: true, checkPaths: true } });
  const overrides = Object.fromEntries(Object.keys(plan.taskStates).map((state) => [state, () => noop()]));
  const runRaw = async () => {
    await machine.run({ n: 1 }, {
      overrides: { taskResourceLocalHandlers: overrides },
      context: { Execution: { Id: 'arn:aws:states:us-east-1:000000000000:execution:bench:raw' }, State: { RetryCount: 0 } },
    }).result;
  };

  // Warm both paths (module loading, JIT), then measure them in alternating rounds so neither gets a
  // warmer or quieter machine; the median round ratio resists the noise of a shared 2-core machine.
  await throughput(runEngine, 30, concurrency);
  await throughput(runRaw, 30, concurrency);
  const engineRates: number[] = [];
  const rawRates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    rawRates.push(await throughput(runRaw, executions, concurrency));
    engineRates.push(await throughput(runEngine, executions, concurrency));
  }
  await engine.close();

  return {
    executions: executions * ROUNDS,
    engineExecutionsPerSecond: round(median(engineRates)),
    rawExecutionsPerSecond: round(median(rawRates)),
    ratio: round(median(engineRates.map((rate, i) => rate / rawRates[i])), 3),
  };
}

const ROUNDS = 5;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Runs `count` calls with at most `concurrency` in flight; returns calls per second. */
export async function throughput(run: () => Promise<unknown>, count: number, concurrency: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      next++;
      await run();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return count / ((performance.now() - started) / 1000);
}

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await engineBench(), null, 2));
