import type { BreakerState } from '../../core/contracts/service-view.ts';

/** An instance put in the registry (PUT /services/{name}/instances/{id}); each PUT is a heartbeat. */
export interface RegisteredInstance {
  readonly id: string;
  readonly url: string;
  readonly weight: number;
  readonly metadata?: Record<string, string>;
  /** Epoch ms of the last PUT. */
  readonly heartbeatAt: number;
}

/** What calls and probes found out about one instance. `version` guards conditional writes. */
export interface HealthRecord {
  readonly healthy: boolean;
  readonly consecutiveFailures: number;
  readonly consecutiveSuccesses: number;
  readonly checkedAt: number;
  readonly version: number;
}

/** The breaker of one service, shared by every invoker; written only with a compare-and-set on `version`. */
export interface BreakerRecord {
  readonly state: BreakerState;
  /** Start of the current counting window (epoch ms). */
  readonly windowStart: number;
  readonly calls: number;
  readonly failures: number;
  /** When it last opened (or went half-open). */
  readonly openedAt: number;
  /** Trial calls let through since going half-open, and how many succeeded. */
  readonly trialsStarted: number;
  readonly trialSuccesses: number;
  readonly transitions: number;
  readonly version: number;
}

export const CLOSED_BREAKER: BreakerRecord = { state: 'closed', windowStart: 0, calls: 0, failures: 0, openedAt: 0, trialsStarted: 0, trialSuccesses: 0, transitions: 0, version: 0 };
export const INITIAL_HEALTH: HealthRecord = { healthy: true, consecutiveFailures: 0, consecutiveSuccesses: 0, checkedAt: 0, version: 0 };

/** Counts of calls to one service, latency as a log-scale histogram (bucket i holds latencies ≤ 2^(i/2) ms). */
export interface MetricsRecord {
  readonly calls: number;
  readonly errors: number;
  readonly transitions: number;
  readonly buckets: Readonly<Record<number, number>>;
}

/** Everything known about one service, read at once. */
export interface ServiceState {
  readonly instances: readonly RegisteredInstance[];
  readonly health: Readonly<Record<string, HealthRecord>>;
  readonly breaker: BreakerRecord;
  readonly metrics: MetricsRecord;
}

/** Where the registry, health, breakers and metrics live: the state table (DynamoDB), or memory. */
export interface OrchestrationStore {
  readService(service: string): Promise<ServiceState>;
  /** Names of services that were registered or called. */
  listServices(): Promise<string[]>;
  putInstance(service: string, instance: RegisteredInstance): Promise<void>;
  /** False when there was no such instance. */
  deleteInstance(service: string, id: string): Promise<boolean>;
  /** Writes `next` if the stored version is still `next.version - 1`; false when another writer came first. */
  writeHealth(service: string, id: string, next: HealthRecord): Promise<boolean>;
  writeBreaker(service: string, next: BreakerRecord): Promise<boolean>;
  /** Adds a batch of call outcomes: counts, and latency histogram counts by bucket. */
  addMetrics(service: string, delta: MetricsDelta): Promise<void>;
}

/** Call outcomes gathered in memory and added to the metrics record at once. */
export interface MetricsDelta {
  readonly calls: number;
  readonly errors: number;
  readonly transitions: number;
  readonly buckets?: Readonly<Record<number, number>>;
}

const BUCKETS = 64;
/** The histogram bucket of a latency: log-scale with two buckets per doubling (≤ 41% error). */
export function latencyBucket(ms: number): number {
  return Math.min(BUCKETS - 1, Math.max(0, Math.ceil(2 * Math.log2(Math.max(ms, 1)))));
}
export function bucketUpperMs(bucket: number): number {
  return Math.round(2 ** (bucket / 2) * 100) / 100;
}
/** The q-quantile (0..1) of a histogram, as its bucket's upper bound. */
export function quantileMs(buckets: Readonly<Record<number, number>>, q: number): number | undefined {
  const entries = Object.entries(buckets).map(([b, n]) => [Number(b), n] as const).sort((a, b) => a[0] - b[0]);
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return undefined;
  let seen = 0;
  for (const [bucket, n] of entries) {
    seen += n;
    if (seen >= q * total) return bucketUpperMs(bucket);
  }
  return bucketUpperMs(entries.at(-1)![0]);
}
