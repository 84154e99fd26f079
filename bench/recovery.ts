/**
 * Recovery: 500 executions of a four-task workflow interrupted mid-run (the engine closed while each has
 * run two of its tasks, the third still running), then a new engine on the same journal: the time from
 * `recover()` to the last resumed execution finished, and the journal's cost per task while running.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkflowPlan } from '../core/compiler/plan.ts';
import { LocalEngine } from '../local/engine/local-engine.ts';
import { round } from './engine.ts';

export interface RecoveryFigures {
  readonly executions: number;
  /** recover() called → every resumed execution SUCCEEDED. */
  readonly recoveryMs: number;
  /** Of which: reading the journal and relaunching (recover() itself). */
  readonly loadMs: number;
  readonly resumed: number;
  /** Tasks answered from the journal during the replay. */
  readonly replayedTasks: number;
}

const HANDLER = new URL('./fixtures/gate-task.ts', import.meta.url).pathname;

function recoveryPlan(): WorkflowPlan {
  const names = ['one', 'two', 'three', 'four'];
  const states = Object.fromEntries(
    names.map((name, i) => [
      name,
      {
        Type: 'Task',
        Resource: '${TaskFunction_gate}',
        Parameters: { task: name, workflow: 'recovery', 'execution.$': '$$.Execution.Id', 'attempt.$': '$$.State.RetryCount', 'input.$': '$$.Execution.Input', ...(i === 0 ? { results: {} } : { 'results.$': '$' }) },
        ...(i === 0 ? { ResultSelector: { [`${name}.$`]: '$' } } : { ResultPath: `$.${name}` }),
        ...(names[i + 1] ? { Next: names[i + 1] } : { End: true }),
      },
    ]),
  );
  return {
    name: 'recovery', file: 'bench/recovery.ts', mode: 'STANDARD',
    asl: { StartAt: 'one', States: states },
    functions: [{ placeholder: 'TaskFunction_gate', id: 'gate', handler: { file: HANDLER, exportName: 'handler' }, timeoutSeconds: 60, memoryMb: 128, tasks: names }],
    services: [],
    taskStates: Object.fromEntries(names.map((n) => [n, { task: n, kind: 'function', placeholder: 'TaskFunction_gate' }])),
    triggers: [], scheduling: { cronEnabled: false, eventEnabled: false }, warnings: [],
  } as unknown as WorkflowPlan;
}

export async function recoveryBench(options: { executions?: number } = {}): Promise<RecoveryFigures> {
  const executions = options.executions ?? 500;
  const journalDir = join(mkdtempSync(join(tmpdir(), 'stepflow-recovery-')), 'executions');
  const gate = (await import(HANDLER)) as { held: Set<string>; reached: () => number };
  const plan = recoveryPlan();
  try {
    // Every execution stops at `three`: `one` and `two` are journaled, `three` is running when the engine goes.
    gate.held.add('three');
    const first = new LocalEngine({ plans: [plan], journalDir, closeGraceMs: 0 });
    const arns: string[] = [];
    for (let i = 0; i < executions; i++) arns.push((await first.start('recovery', { i })).executionArn);
    while (gate.reached() < executions) await new Promise((resolve) => setTimeout(resolve, 10));
    await first.close();
    gate.held.clear();

    const second = new LocalEngine({ plans: [plan], journalDir });
    const started = performance.now();
    const report = await second.recover();
    const loadMs = performance.now() - started;
    const done = await Promise.all(arns.map((arn) => second.wait(arn)));
    const recoveryMs = performance.now() - started;
    await second.close();
    if (done.some((d) => d.status !== 'SUCCEEDED')) throw new Error('a resumed execution did not succeed');
    return { executions, recoveryMs: round(recoveryMs), loadMs: round(loadMs), resumed: report.resumed.length, replayedTasks: report.resumed.length * 2 };
  } finally {
    rmSync(join(journalDir, '..'), { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.env.STEPFLOW_LOG ??= 'off';
  console.log(JSON.stringify(await recoveryBench(), null, 2));
}
