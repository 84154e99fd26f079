/**
 * Pools offline: N jobs (STEPFLOW_BENCH_POOL_JOBS, default 10,000) of a 20 ms handler through a LocalPool
 * (fauxqs, dynalite, real worker processes, started before the jobs are sent) at max_size 2 and 8. Per size: the peak of runs overlapping,
 * throughput against the ideal (max_size ÷ 20 ms), jobs lost (neither run nor dead-lettered) and
 * duplicate side effects (runs beyond one per job).
 */
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { closeSync, existsSync, fstatSync, mkdtempSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import type { PoolDefinition } from '../core/definition/pool-model.ts';
import { createTableInput } from '../functions/shared/table-schema.ts';
import { startDynamoDb, type DynamoDbServer } from '../local/emulators/dynamodb/dynamodb-server.ts';
import { LocalPool } from '../local/pools/local-pool.ts';

export const BENCH_JOB = new URL('./fixtures/pool-job.ts', import.meta.url).pathname;
const HANDLER_MS = 20;

export interface PoolSizeFigures {
  readonly maxSize: number;
  readonly jobs: number;
  readonly seconds: number;
  readonly jobsPerSecond: number;
  /** jobs/s ÷ (max_size ÷ 20 ms). */
  readonly efficiency: number;
  readonly peakConcurrency: number;
  readonly lost: number;
  readonly duplicates: number;
}

export interface PoolRun {
  readonly started: number;
  readonly end: number;
  readonly id: string;
  readonly start: number;
  readonly pid: number;
}

/** fauxqs and dynalite in memory, one table: what a pool benchmark runs on. */
export async function poolBenchServers(): Promise<{ sqs: FauxqsServer; dynamodb: DynamoDbServer; client: SQSClient; table: string; close(): Promise<void> }> {
  const table = 'stepflow-bench';
  const [sqs, dynamodb] = await Promise.all([
    startFauxqs({ port: 0, host: '127.0.0.1', logger: false }),
    startDynamoDb({ tables: [createTableInput(table)] }),
  ]);
  const client = new SQSClient({ endpoint: sqs.address, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  return { sqs, dynamodb, client, table, close: async () => { client.destroy(); await Promise.all([sqs.stop(), dynamodb.close()]); } };
}

export function benchPoolDefinition(name: string, maxSize: number, recovery: Partial<PoolDefinition['recovery']> = {}): PoolDefinition {
  return {
    name,
    handler: { file: BENCH_JOB, exportName: 'job' },
    minSize: 0, maxSize, idleTimeoutSeconds: 60, batchSize: 1, timeoutSeconds: 10, memoryMb: 128,
    lanes: [{ name: 'normal', share: 100, concurrency: maxSize }],
    monitoring: { healthCheckIntervalSeconds: 30, metricsCollection: false, alerting: false },
    recovery: { autoRestart: true, maxRestarts: 3, restartDelaySeconds: 0, ...recovery },
  };
}

/** Sends jobs `{ id, log, ms, crash? }` to a lane queue, ten per request. */
export async function sendBenchJobs(client: SQSClient, queueUrl: string, pool: string, jobs: readonly { id: string; log: string; ms: number; crash?: boolean }[]): Promise<void> {
  for (let i = 0; i < jobs.length; i += 10) {
    await client.send(new SendMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: jobs.slice(i, i + 10).map((payload, k) => ({ Id: String(k), MessageBody: JSON.stringify({ pool, lane: 'normal', jobId: payload.id, payload }) })),
    }));
  }
}

export function readRuns(log: string): { id: string; start: number; end: number; pid: number }[] {
  return existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
}

/** The distinct jobs of a run log, read from where the last look stopped. */
class RunLogTail {
  private offset = 0;
  private partial = '';
  private readonly ids = new Set<string>();

  constructor(private readonly path: string) {}

  distinct(): number {
    if (!existsSync(this.path)) return 0;
    const fd = openSync(this.path, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size > this.offset) {
        const chunk = Buffer.alloc(size - this.offset);
        readSync(fd, chunk, 0, chunk.length, this.offset);
        this.offset = size;
        const lines = (this.partial + chunk.toString('utf8')).split('\n');
        this.partial = lines.pop() ?? '';
        for (const line of lines) if (line) this.ids.add((JSON.parse(line) as { id: string }).id);
      }
    } finally {
      closeSync(fd);
    }
    return this.ids.size;
  }
}

/** Most runs overlapping at any instant. */
export function peakOverlap(runs: readonly { start: number; end: number }[]): number {
  const edges = runs.flatMap((r) => [[r.start, 1], [r.end, -1]] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let peak = 0;
  for (const [, delta] of edges) peak = Math.max(peak, (now += delta));
  return peak;
}

async function runSize(maxSize: number, jobs: number): Promise<PoolSizeFigures> {
  const servers = await poolBenchServers();
  const dir = mkdtempSync(join(tmpdir(), 'stepflow-pool-bench-'));
  const log = join(dir, 'runs.log');
  // Its workers started before the first job (min_size = max_size): the pool's pace, not process starts.
  const definition = { ...benchPoolDefinition(`bench${maxSize}`, maxSize), minSize: maxSize };
  const pool = new LocalPool({
    pool: definition, sqs: servers.client, table: servers.table,
    aws: { region: 'us-east-1', endpoints: { dynamodb: servers.dynamodb.url, sqs: servers.sqs.address }, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } },
  });
  try {
    await pool.start();
    // Every job queued before the pool takes any: the pool's own pace, the sending out of it.
    pool.pause();
    const ids = Array.from({ length: jobs }, (_, i) => `job-${i}`);
    await sendBenchJobs(servers.client, pool.queues.normal.url, definition.name, ids.map((id) => ({ id, log, ms: HANDLER_MS })));
    pool.resume();
    const started = performance.now();
    const deadline = started + Math.max(60_000, jobs * 20);
    // Read as it grows (not whole each turn): the benchmark shares the process with the servers it measures.
    const tail = new RunLogTail(log);
    const dlq = () => servers.sqs.inspectQueue(`${definition.name}-normal-dlq`)?.messages.ready.length ?? 0;
    while (tail.distinct() + dlq() < jobs && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    const runs = readRuns(log);
    // From the first run's start to the last run's end: the pool's own time, not the sending.
    const seconds = runs.length ? (Math.max(...runs.map((r) => r.end)) - Math.min(...runs.map((r) => r.start))) / 1000 : 0;
    const distinct = new Set(runs.map((r) => r.id)).size;
    const jobsPerSecond = seconds ? distinct / seconds : 0;
    return {
      maxSize, jobs, seconds: round(seconds), jobsPerSecond: round(jobsPerSecond),
      efficiency: round(jobsPerSecond / (maxSize / (HANDLER_MS / 1000))),
      peakConcurrency: peakOverlap(runs),
      lost: jobs - distinct - dlq(),
      duplicates: runs.length - distinct,
    };
  } finally {
    await pool.stop();
    await servers.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (n: number) => Math.round(n * 1000) / 1000;

export async function poolBench(options: { jobs?: number; sizes?: readonly number[] } = {}): Promise<PoolSizeFigures[]> {
  const jobs = options.jobs ?? (Number(process.env.STEPFLOW_BENCH_POOL_JOBS) || 10_000);
  const figures: PoolSizeFigures[] = [];
  for (const maxSize of options.sizes ?? [2, 8]) figures.push(await runSize(maxSize, jobs));
  return figures;
}
