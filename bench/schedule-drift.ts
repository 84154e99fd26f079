/**
 * Schedule accuracy offline: 20 schedules firing every second through the LocalScheduler and the real fire
 * path (the dispatcher's claim on dynalite, StartExecution through the SFN server into the LocalEngine, the
 * fire record), first idle, then while the engine benchmark runs; and croner's own lateness for 20 plain
 * `new Cron('* * * * * *')` jobs under the same conditions.
 *
 * Lateness = when the timer fired − the scheduled instant. Missed = instants in the window with no fire;
 * duplicates = instants fired twice (or claimed twice). Goals: p99 ≤ 20 ms idle, ≤ 50 ms under load,
 * nothing missed, nothing duplicated, ours ÷ croner p99 under load ≤ 1.2.
 * `STEPFLOW_BENCH_DRIFT_SECONDS` shortens each phase (default 60).
 */
import { performance } from 'node:perf_hooks';
import { Cron } from 'croner';
import type { WorkflowPlan } from '../core/compiler/plan.ts';
import { startDynamoDb } from '../local/emulators/dynamodb/dynamodb-server.ts';
import { LocalEngine } from '../local/engine/local-engine.ts';
import { startSfnServer } from '../local/emulators/stepfunctions/sfn-server.ts';
import { LocalScheduler, percentile, type FireRecord } from '../local/scheduling/local-scheduler.ts';
import { systemClock } from '../local/clock.ts';
import { benchPlan } from './engine.ts';

export interface DriftFigures {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly fires: number;
  readonly missed: number;
  readonly duplicates: number;
  /** p99 of claim + condition + StartExecution + record, per fire (not part of lateness). */
  readonly dispatchP99Ms?: number;
}

export interface ScheduleDriftFigures {
  readonly seconds: number;
  readonly schedules: number;
  readonly idle: DriftFigures;
  readonly underLoad: DriftFigures;
  readonly croner: { readonly idle: { readonly p99Ms: number; readonly fires: number }; readonly underLoad: { readonly p99Ms: number; readonly fires: number } };
  /** ours ÷ croner, p99 under load; goal ≤ 1.2. */
  readonly ratioUnderLoad: number;
  /** Engine executions completed by the load while our schedules ran, per second. */
  readonly loadExecutionsPerSecond: number;
}

export interface ScheduleDriftOptions {
  /** @default STEPFLOW_BENCH_DRIFT_SECONDS, else 60 */
  readonly seconds?: number;
  /** @default 20 */
  readonly schedules?: number;
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

export async function scheduleDriftBench(options: ScheduleDriftOptions = {}): Promise<ScheduleDriftFigures> {
  const seconds = options.seconds ?? (Number(process.env.STEPFLOW_BENCH_DRIFT_SECONDS) || 60);
  const count = options.schedules ?? 20;
  const stack = await startFirePath();
  try {
    const idle = await runOurs(stack, count, seconds, 'idle');
    const load = startLoad();
    const before = load.completed();
    const underLoad = await runOurs(stack, count, seconds, 'load');
    const loadRate = (load.completed() - before) / seconds;
    const cronerUnderLoad = await runCroner(count, seconds);
    await load.stop();
    const cronerIdle = await runCroner(count, seconds);
    return {
      seconds,
      schedules: count,
      idle,
      underLoad,
      croner: { idle: cronerIdle, underLoad: cronerUnderLoad },
      ratioUnderLoad: round(underLoad.p99Ms / Math.max(cronerUnderLoad.p99Ms, 0.001), 3),
      loadExecutionsPerSecond: round(loadRate, 1),
    };
  } finally {
    await stack.close();
  }
}

interface FirePath {
  readonly dispatcher: (payload: unknown) => Promise<{ outcome: string }>;
  readonly workflow: string;
  close(): Promise<void>;
}

/** dynalite (in memory), the SFN server over a LocalEngine running the no-op DAG, the dispatcher. */
async function startFirePath(): Promise<FirePath> {
  const plan = noopPlan();
  const engine = new LocalEngine({ plans: [plan] });
  const { createTableInput } = await import('../functions/shared/table-schema.ts');
  const dynamodb = await startDynamoDb({ tables: [createTableInput('stepflow-bench')] });
  const sfn = await startSfnServer({ engine });
  const config = {
    table: 'stepflow-bench',
    workflows: { [plan.name]: { stateMachineArn: engine.stateMachineArn(plan.name), mode: plan.mode } },
    aws: { region: 'us-east-1', endpoints: { sfn: sfn.url, dynamodb: dynamodb.url }, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } },
    scheduling: { scheduleGroup: 'default', eventBus: 'default' },
  };
  const { createAwsClients } = await import('../functions/shared/clients.ts');
  const { createDispatcher } = await import('../functions/scheduling/handler.ts');
  const { defaultDispatchDeps } = await import('../functions/scheduling/deps.ts');
  const dispatcher = createDispatcher(defaultDispatchDeps(config, createAwsClients(config.aws), { logger: () => undefined }));
  return {
    dispatcher,
    workflow: plan.name,
    async close() {
      await engine.close();
      await sfn.close();
      await dynamodb.close();
    },
  };
}

/** The engine benchmark's no-op DAG: each fire starts one execution of it. */
function noopPlan(): WorkflowPlan {
  return benchPlan();
}

/** `count` rate(1 second) schedules aligned on whole seconds for `seconds` s; lateness of each fire. */
async function runOurs(stack: FirePath, count: number, seconds: number, phase: string): Promise<DriftFigures> {
  const records: FireRecord[] = [];
  const dispatchMs: number[] = [];
  const scheduler = new LocalScheduler({
    minimumRateSeconds: 1, // AWS refuses rates under a minute; the offline bench needs one per second
    maxLatenessMs: 5_000,
    dispatch: async (fire) => {
      const result = await stack.dispatcher({ kind: 'schedule', scheduleId: fire.schedule.id, workflow: stack.workflow, input: {}, scheduledTime: fire.scheduledTime.toISOString() });
      return { status: result.outcome as 'started' };
    },
  });
  scheduler.on('fire', (record) => {
    records.push(record);
    dispatchMs.push(record.dispatchMs);
  });
  // Start on a whole second, plus one, so every schedule's instants are the same whole seconds.
  const start = Math.ceil(systemClock.now() / 1000) * 1000 + 1000;
  for (let i = 0; i < count; i++) scheduler.upsert({ id: `bench.${phase}${i}`, workflow: stack.workflow, expression: 'rate(1 second)', start: new Date(start) });
  const end = start + seconds * 1000;
  await sleep(end - systemClock.now() + 200);
  await scheduler.stop();

  const inWindow = records.filter((r) => r.scheduledTime.getTime() <= end);
  const fired = new Map<string, number>();
  // An instant the store refused as already claimed counts once, below, not also as a second fire here.
  for (const r of inWindow) if (r.status !== 'missed' && r.status !== 'duplicate') fired.set(`${r.scheduleId}@${r.scheduledTime.getTime()}`, (fired.get(`${r.scheduleId}@${r.scheduledTime.getTime()}`) ?? 0) + 1);
  const expected = count * seconds;
  const duplicates = [...fired.values()].reduce((n, times) => n + times - 1, 0) + inWindow.filter((r) => r.status === 'duplicate').length;
  const lateness = inWindow.filter((r) => r.status !== 'missed').map((r) => r.latenessMs).sort((a, b) => a - b);
  const dispatchSorted = dispatchMs.sort((a, b) => a - b);
  const failed = inWindow.filter((r) => r.status === 'failed');
  if (failed.length) process.emitWarning(`${failed.length} bench fires failed: ${failed[0].reason}`);
  return {
    p50Ms: round(percentile(lateness, 0.5)),
    p99Ms: round(percentile(lateness, 0.99)),
    maxMs: round(lateness.at(-1) ?? Number.NaN),
    fires: inWindow.length,
    missed: expected - [...fired.keys()].length,
    duplicates,
    dispatchP99Ms: round(percentile(dispatchSorted, 0.99)),
  };
}

/** croner's own lateness: `count` plain jobs on `* * * * * *`, measured the same way. */
async function runCroner(count: number, seconds: number): Promise<{ p99Ms: number; fires: number }> {
  const lateness: number[] = [];
  const start = Math.ceil(systemClock.now() / 1000) * 1000 + 1000;
  const end = start + seconds * 1000;
  const jobs = Array.from({ length: count }, () =>
    new Cron('* * * * * *', () => {
      const now = performance.timeOrigin + performance.now();
      const scheduled = Math.floor(now / 1000) * 1000; // under a second late, the instant is the whole second before
      if (scheduled >= start && scheduled <= end) lateness.push(now - scheduled);
    }),
  );
  await sleep(end - systemClock.now() + 200);
  for (const job of jobs) job.stop();
  lateness.sort((a, b) => a - b);
  return { p99Ms: round(percentile(lateness, 0.99)), fires: lateness.length };
}

/**
 * The engine benchmark's workload, run until stopped: `concurrency` workers each starting and awaiting
 * executions of its 10-task no-op DAG on a LocalEngine. `engineBench` itself cannot be the load: its no-op
 * executions resolve in microtasks only, so while it runs no timer of anyone (ours or croner's) can fire at
 * all. Each worker yields to the event loop after each execution, as real task I/O would.
 */
function startLoad(concurrency = 10): { completed(): number; stop(): Promise<void> } {
  const plan = benchPlan();
  const engine = new LocalEngine({ plans: [plan] });
  let stopped = false;
  let executions = 0;
  const worker = async () => {
    while (!stopped) {
      const started = await engine.start(plan.name, { n: executions });
      await engine.wait(started.executionArn);
      executions++;
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const workers = Promise.all(Array.from({ length: concurrency }, worker));
  return {
    completed: () => executions,
    async stop() {
      stopped = true;
      await workers;
      await engine.close();
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
