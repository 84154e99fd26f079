/** Wire shapes of the services API (`GET /services`, `GET /services/{name}`), shared by the API, client and CLI. */

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface ServiceMetricsView {
  readonly calls: number;
  readonly errors: number;
  /** Latency percentiles in ms, from a log-scale histogram (upper bound of the bucket). */
  readonly p50Ms?: number;
  readonly p99Ms?: number;
  readonly breakerTransitions: number;
}

export interface ServiceInstanceView {
  readonly id: string;
  readonly url: string;
  readonly weight: number;
  readonly metadata?: Record<string, string>;
  /** `registry` (PUT /services/{name}/instances/{id}) or `health` (known from calls and probes only). */
  readonly source: 'registry' | 'observed';
  readonly healthy: boolean;
  readonly consecutiveFailures: number;
  readonly lastHeartbeat?: string;
  readonly expired?: boolean;
  /** Calls in flight from the invoker that answers (offline: the one dev stack). */
  readonly outstanding?: number;
}

export interface ServiceView {
  readonly name: string;
  readonly breaker: { readonly state: BreakerState; readonly openedAt?: string; readonly calls: number; readonly failures: number };
  readonly metrics: ServiceMetricsView;
  readonly instances: readonly ServiceInstanceView[];
}

export interface ServiceSummary {
  readonly name: string;
  readonly instances: number;
  readonly healthy: number;
  readonly breaker: BreakerState;
  readonly metrics: ServiceMetricsView;
}

export interface RegisterInstanceBody {
  readonly url: string;
  readonly weight?: number;
  readonly metadata?: Record<string, string>;
}
