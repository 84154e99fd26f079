import { z } from 'zod';
import { parseDuration } from './duration.ts';

/**
 * The service orchestration language: the top-level `orchestration:` block (defaults, as in the
 * specification example) and the fields a service under `workflow.services` may set to override them.
 */

const duration = z
  .union([z.number(), z.string()])
  .refine((v) => parseDuration(v) !== undefined, {
    error: (issue) => `invalid duration ${JSON.stringify(issue.input)}: use 300s, 5m, 1h, 250ms or plain seconds`,
  })
  .describe('A duration: `30s`, `5m`, `250ms` or plain seconds');

const wholeAtLeast = (field: string, min: number) =>
  z.number().int({ error: (i) => `${field} must be a whole number, got ${JSON.stringify(i.input)}` })
    .min(min, { error: (i) => `${field} must be at least ${min}, got ${JSON.stringify(i.input)}` });

export const DISCOVERY_TYPES = ['registry', 'cloudmap', 'consul', 'static'] as const;
export const BALANCING_ALGORITHMS = ['round_robin', 'weighted', 'least_outstanding', 'random'] as const;
export const AGGREGATE_STRATEGIES = ['merge', 'all', 'first_success', 'quorum'] as const;

export const healthCheckSchema = z
  .strictObject({
    path: z.string().startsWith('/', { error: (i) => `health_check.path must start with "/", got ${JSON.stringify(i.input)}` }).optional()
      .describe('Probed with GET on each instance. @default /health'),
    interval: duration.optional().describe('Time between active probes. @default 10s'),
    timeout: duration.optional().describe('Timeout of one probe. @default 2s'),
    unhealthy_after: wholeAtLeast('unhealthy_after', 1).optional().describe('Consecutive failures (calls or probes) that mark an instance down. @default 3'),
    healthy_after: wholeAtLeast('healthy_after', 1).optional().describe('Consecutive successful probes that mark it up again. @default 2'),
  })
  .describe('Active and passive health checking of a service\'s instances');

export const circuitBreakerSchema = z
  .strictObject({
    failure_rate: z.number().gt(0, { error: 'failure_rate must be more than 0' }).max(1, { error: 'failure_rate is a fraction: at most 1' }).optional()
      .describe('Fraction of failed calls in the window that opens the breaker. @default 0.5'),
    minimum_calls: wholeAtLeast('minimum_calls', 1).optional().describe('Calls in the window before the rate counts. @default 10'),
    window: duration.optional().describe('Window the failure rate is measured over. @default 60s'),
    open_for: duration.optional().describe('How long the breaker stays open before letting trial calls through. @default 30s'),
    half_open_calls: wholeAtLeast('half_open_calls', 1).optional().describe('Trial calls in half-open; all must succeed to close. @default 1'),
  })
  .describe('A circuit breaker per service, shared by every invoker through the state table');

/** Fields a service under `workflow.services.<name>` may add (spread into the service schema). */
export const serviceOrchestrationFields = {
  discovery: z.enum(DISCOVERY_TYPES).optional()
    .describe('Where instances come from: the registry (PUT /services/{name}/instances/{id}), AWS Cloud Map, Consul, or only `instances`. @default registry'),
  instances: z.array(z.string().min(1)).optional().describe('Static instance URLs (seeds, besides any discovered)'),
  load_balancing: z.enum(BALANCING_ALGORITHMS).optional().describe('@default orchestration.load_balancing.algorithm, else round_robin'),
  health_check: healthCheckSchema.optional(),
  circuit_breaker: circuitBreakerSchema.optional(),
  fallback: z.string().min(1).optional().describe('Another service called while this one\'s breaker is open or all its instances fail'),
  cloudmap: z.strictObject({
    namespace: z.string().min(1).optional().describe('Cloud Map namespace name (required)'),
    service: z.string().min(1).optional().describe('@default the service name'),
  }).optional(),
  consul: z.strictObject({
    address: z.string().min(1).optional().describe('Consul agent URL, e.g. http://127.0.0.1:8500 (required)'),
    service: z.string().min(1).optional().describe('@default the service name'),
  }).optional(),
};

/** Fields of a `type: service` task that calls several services at once (spread into the task schema). */
export const aggregationTaskFields = {
  services: z.union([z.array(z.string().min(1)).min(1), z.string().min(1)]).optional()
    .describe('For `type: service`: call these services at once and aggregate their answers (instead of `service`); or a JSONPath into the execution input holding the list, e.g. `$.services`'),
  aggregate: z.enum(AGGREGATE_STRATEGIES).optional()
    .describe('merge (objects merged, all must answer), all (every answer and failure), first_success, quorum. @default merge'),
  quorum: wholeAtLeast('quorum', 1).optional().describe('For aggregate: quorum, how many must succeed'),
};

/** The specification's `orchestration` block: defaults for every service of the workflow. */
export const orchestrationSchema = z
  .strictObject({
    service_discovery: z.strictObject({
      type: z.enum(DISCOVERY_TYPES).optional().describe('@default registry'),
      refresh_interval: duration.optional().describe('How long discovered instances are cached. @default 30s'),
      health_check: z.boolean().optional().describe('Probe instances actively. @default true'),
    }).optional(),
    load_balancing: z.strictObject({
      algorithm: z.enum(BALANCING_ALGORITHMS).optional().describe('@default round_robin'),
      health_check: z.boolean().optional().describe('Skip instances marked down. @default true'),
      failover: z.boolean().optional().describe('Try another instance when one fails. @default true'),
    }).optional(),
    timeout: z.strictObject({
      default: duration.optional().describe('Timeout of one call to one instance when the service sets none. @default 30s'),
      max: duration.optional().describe('Budget of a whole call, failovers included. @default 300s'),
    }).optional(),
    retry: z.strictObject({
      max_attempts: wholeAtLeast('retry.max_attempts', 1).optional().describe('Instances tried per call (failover). @default 3'),
      backoff: z.enum(['exponential', 'linear', 'fixed']).optional().describe('Wait between failover attempts. @default exponential'),
    }).optional(),
  })
  .describe('Service orchestration defaults, as in the specification example');

export type OrchestrationSpec = z.infer<typeof orchestrationSchema>;
