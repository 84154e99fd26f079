/**
 * Pool recovery offline: jobs whose first run kills its worker process (STEPFLOW_BENCH_POOL_RECOVERY_JOBS,
 * default 50) through a LocalPool at max_size 2 with restart_delay 1s. Per job, the time from the crash to
 * the job's next run starting; p50 and p99 against restart_delay (the floor: the message stays hidden
 * that long).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalPool } from '../local/pools/local-pool.ts';
import { benchPoolDefinition, poolBenchServers, sendBenchJobs } from './pool.ts';

export interface PoolRecoveryFigures {
  readonly jobs: number;
  readonly restartDelaySeconds: number;
  readonly recovered: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** p50 ÷ restart_delay: 1 is the floor. */
  readonly p50OverDelay: number;
}

export async function poolRecoveryBench(options: { jobs?: number; restartDelaySeconds?: number } = {}): Promise<PoolRecoveryFigures> {
  const jobs = options.jobs ?? (Number(process.env.STEPFLOW_BENCH_POOL_RECOVERY_JOBS) || 50);
  const restartDelaySeconds = options.restartDelaySeconds ?? 1;
  const servers = await poolBenchServers();
  const dir = mkdtempSync(join(tmpdir(), 'stepflow-pool-recovery-'));
  const log = join(dir, 'runs.log');
  const definition = { ...benchPoolDefinition('recovery', 2, { restartDelaySeconds, maxRestarts: 3 }), handler: { file: new URL('./fixtures/pool-job.ts', import.meta.url).pathname, exportName: 'crashOnce' } };
  const pool = new LocalPool({
    pool: definition, sqs: servers.client, table: servers.table,
    aws: { region: 'us-east-1', endpoints: { dynamodb: servers.dynamodb.url, sqs: servers.sqs.address }, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } },
  });
  try {
    await pool.start();
    const ids = Array.from({ length: jobs }, (_, i) => `job-${i}`);
    await sendBenchJobs(servers.client, pool.queues.normal.url, definition.name, ids.map((id) => ({ id, log, ms: 0 })));
    const deadline = performance.now() + Math.max(120_000, jobs * 5_000);
    const lines = () => readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string; crash?: number; start?: number });
    let seen: ReturnType<typeof lines> = [];
    while (performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      try {
        seen = lines();
      } catch {
        continue;
      }
      if (new Set(seen.filter((l) => l.start !== undefined).map((l) => l.id)).size >= jobs) break;
    }
    const crashes = new Map(seen.filter((l) => l.crash !== undefined).map((l) => [l.id, l.crash!]));
    const gaps = seen.filter((l) => l.start !== undefined && crashes.has(l.id)).map((l) => l.start! - crashes.get(l.id)!).sort((a, b) => a - b);
    const at = (q: number) => (gaps.length ? gaps[Math.min(gaps.length - 1, Math.floor(q * gaps.length))] : NaN);
    return {
      jobs,
      restartDelaySeconds,
      recovered: gaps.length,
      p50Ms: Math.round(at(0.5)),
      p99Ms: Math.round(at(0.99)),
      p50OverDelay: Math.round((at(0.5) / (restartDelaySeconds * 1000)) * 100) / 100,
    };
  } finally {
    await pool.stop();
    await servers.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
