/**
 * Pool recovery offline, through a LocalPool at max_size 2 with restart_delay 1s; per crashed job, the
 * time from the crash to the job's next run starting, p50 and p99 against restart_delay (the floor: the
 * message stays hidden that long).
 * - dense: every job (STEPFLOW_BENCH_POOL_RECOVERY_JOBS, default 50) kills its worker on its first run, so
 *   the pool is bound by spawning workers;
 * - sparse: 1 job in 10 kills its worker, among 20 ms jobs (STEPFLOW_BENCH_POOL_RECOVERY_SPARSE_JOBS,
 *   default ten times as many, so as many crashes as dense). A crashed job's message becomes visible
 *   again behind the jobs still queued, so its gap includes that wait.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalPool } from '../local/pools/local-pool.ts';
import { benchPoolDefinition, poolBenchServers, sendBenchJobs } from './pool.ts';

export interface RecoveryRunFigures {
  readonly jobs: number;
  /** Jobs that killed their worker (a job claimed ahead by a worker that died runs its first attempt elsewhere, uncrashed). */
  readonly crashed: number;
  /** Crashed jobs that ran again. */
  readonly recovered: number;
  /** Runs beyond one per job (a job's side effect seen twice). */
  readonly duplicateRuns: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** p50 ÷ restart_delay: 1 is the floor. */
  readonly p50OverDelay: number;
  /** From the first send to the last job's run starting. */
  readonly elapsedMs: number;
}

export interface PoolRecoveryFigures extends RecoveryRunFigures {
  readonly restartDelaySeconds: number;
  /** 1 job in 10 crashing among 20 ms jobs. */
  readonly sparse: RecoveryRunFigures;
}

export async function poolRecoveryBench(options: { jobs?: number; sparseJobs?: number; restartDelaySeconds?: number } = {}): Promise<PoolRecoveryFigures> {
  const jobs = options.jobs ?? (Number(process.env.STEPFLOW_BENCH_POOL_RECOVERY_JOBS) || 50);
  const sparseJobs = options.sparseJobs ?? (Number(process.env.STEPFLOW_BENCH_POOL_RECOVERY_SPARSE_JOBS) || jobs * 10);
  const restartDelaySeconds = options.restartDelaySeconds ?? 1;
  const dense = await recoveryRun({ name: 'recovery', jobs, crashes: () => true, ms: 0, restartDelaySeconds });
  const sparse = await recoveryRun({ name: 'recovery-sparse', jobs: sparseJobs, crashes: (i) => i % 10 === 0, ms: 20, restartDelaySeconds });
  return { ...dense, restartDelaySeconds, sparse };
}

async function recoveryRun(run: { name: string; jobs: number; crashes: (i: number) => boolean; ms: number; restartDelaySeconds: number }): Promise<RecoveryRunFigures> {
  const servers = await poolBenchServers();
  const dir = mkdtempSync(join(tmpdir(), 'stepflow-pool-recovery-'));
  const log = join(dir, 'runs.log');
  const definition = {
    ...benchPoolDefinition(run.name, 2, { restartDelaySeconds: run.restartDelaySeconds, maxRestarts: 3 }),
    handler: { file: new URL('./fixtures/pool-job.ts', import.meta.url).pathname, exportName: 'crashSome' },
  };
  const pool = new LocalPool({
    pool: definition, sqs: servers.client, table: servers.table,
    aws: { region: 'us-east-1', endpoints: { dynamodb: servers.dynamodb.url, sqs: servers.sqs.address }, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } },
  });
  try {
    await pool.start();
    const sent = Array.from({ length: run.jobs }, (_, i) => ({ id: `job-${i}`, log, ms: run.ms, crash: run.crashes(i) }));
    const crashing = sent.filter((j) => j.crash).length;
    const began = performance.timeOrigin + performance.now();
    await sendBenchJobs(servers.client, pool.queues.normal.url, definition.name, sent);
    const deadline = performance.now() + Math.max(120_000, crashing * 5_000 + run.jobs * 100);
    const lines = () => readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string; crash?: number; start?: number });
    let seen: ReturnType<typeof lines> = [];
    while (performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      try {
        seen = lines();
      } catch {
        continue;
      }
      if (new Set(seen.filter((l) => l.start !== undefined).map((l) => l.id)).size >= run.jobs) break;
    }
    const crashes = new Map(seen.filter((l) => l.crash !== undefined).map((l) => [l.id, l.crash!]));
    const starts = seen.filter((l) => l.start !== undefined);
    const firstStart = new Map<string, number>();
    for (const l of starts) firstStart.set(l.id, Math.min(firstStart.get(l.id) ?? Infinity, l.start!));
    const gaps = [...crashes].filter(([id]) => firstStart.has(id)).map(([id, crash]) => firstStart.get(id)! - crash).sort((a, b) => a - b);
    const at = (q: number) => (gaps.length ? gaps[Math.min(gaps.length - 1, Math.floor(q * gaps.length))] : NaN);
    return {
      jobs: run.jobs,
      crashed: crashes.size,
      recovered: gaps.length,
      duplicateRuns: starts.length - firstStart.size,
      p50Ms: Math.round(at(0.5)),
      p99Ms: Math.round(at(0.99)),
      p50OverDelay: Math.round((at(0.5) / (run.restartDelaySeconds * 1000)) * 100) / 100,
      elapsedMs: Math.round(Math.max(...starts.map((l) => l.start!)) - began),
    };
  } finally {
    await pool.stop();
    await servers.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
