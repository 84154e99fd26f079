import { MAX_LAMBDA_TIMEOUT_SECONDS } from '../asl/limits.ts';
import type { DefinitionPath, DiagnosticCode, Severity } from './diagnostics.ts';
import { parseDuration } from './duration.ts';
import { declaresExport, resolveHandler } from './handlers.ts';
import type { DefinitionHost } from './host.ts';
import {
  MAX_BATCH_SIZE,
  MAX_EVENT_SOURCE_CONCURRENCY,
  MAX_RECEIVE_COUNT,
  MAX_VISIBILITY_TIMEOUT_SECONDS,
  MIN_EVENT_SOURCE_CONCURRENCY,
} from './pool-limits.ts';
import { POOL_DEFAULTS, type PoolDefinition, type PoolLane } from './pool-model.ts';
import type { PoolSpec } from './pool-schema.ts';
import type { DefinitionFile } from './schema.ts';

type Report = (code: DiagnosticCode, path: DefinitionPath, message: string, severity?: Severity) => void;

/** Pool names end up in queue and function names (80 and 64 characters) with a prefix and a lane. */
const POOL_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;
const LANE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,15}$/;
const SIZING_DOC = 'https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html';

/** Checks of the `pools:` block and of the tasks that name a pool; every problem is reported. */
export function validatePools(spec: DefinitionFile, file: string, host: DefinitionHost, report: Report): void {
  for (const [name, pool] of Object.entries(spec.pools ?? {})) {
    const at = (...rest: (string | number)[]) => ['pools', name, ...rest];
    if (!POOL_NAME.test(name)) report('invalid_name', at(), `pool name "${name}" must be 1-32 letters, digits, hyphens or underscores, starting with a letter`);
    const settings = effective(spec, pool);
    const sizeAt = pool.max_size !== undefined ? at('max_size') : ['process_management', 'pool', 'max_size'];
    if (settings.maxSize < MIN_EVENT_SOURCE_CONCURRENCY || settings.maxSize > MAX_EVENT_SOURCE_CONCURRENCY) {
      report('value_out_of_range', sizeAt, `max_size must be between ${MIN_EVENT_SOURCE_CONCURRENCY} and ${MAX_EVENT_SOURCE_CONCURRENCY} (an SQS event source's MaximumConcurrency, ${SIZING_DOC}), got ${settings.maxSize}`);
    }
    if (settings.minSize < 0 || settings.minSize > settings.maxSize) {
      report('value_out_of_range', pool.min_size !== undefined ? at('min_size') : ['process_management', 'pool', 'min_size'], `min_size must be between 0 and max_size (${settings.maxSize}), got ${settings.minSize}`);
    }
    if (pool.batch_size !== undefined && (pool.batch_size < 1 || pool.batch_size > MAX_BATCH_SIZE)) {
      report('value_out_of_range', at('batch_size'), `batch_size must be between 1 and ${MAX_BATCH_SIZE}, got ${pool.batch_size}`);
    }
    if (pool.memory !== undefined && (pool.memory < 128 || pool.memory > 10_240)) {
      report('value_out_of_range', at('memory'), `memory must be between 128 and 10240 (MB), got ${pool.memory}`);
    }
    checkSeconds(pool.timeout, at('timeout'), 'timeout', 1, MAX_LAMBDA_TIMEOUT_SECONDS, report, ' (one job runs in one Lambda invocation, 15 minutes at most)');
    checkSeconds(pool.idle_timeout, at('idle_timeout'), 'idle_timeout', 1, 86_400, report);
    checkSeconds(pool.monitoring?.health_check_interval, at('monitoring', 'health_check_interval'), 'health_check_interval', 1, 3600, report);
    checkSeconds(pool.rate_limit?.per, at('rate_limit', 'per'), 'rate_limit.per', 1, 86_400, report);
    checkSeconds(pool.recovery?.restart_delay, at('recovery', 'restart_delay'), 'restart_delay', 0, MAX_VISIBILITY_TIMEOUT_SECONDS, report, ' (a visibility timeout)');
    if (settings.maxRestarts < 0 || settings.maxRestarts + 1 > MAX_RECEIVE_COUNT) {
      const path = pool.recovery?.max_restarts !== undefined ? at('recovery', 'max_restarts') : ['process_management', 'recovery', 'max_restarts'];
      report('value_out_of_range', path, `max_restarts must be between 0 and ${MAX_RECEIVE_COUNT - 1}: max_restarts + 1 is the queue's maxReceiveCount, and below 1 every job would go to the dead-letter queue on its first receive; got ${settings.maxRestarts}`);
    }
    checkLanes(pool, settings.maxSize, at, report);
    checkHandler(pool, file, host, at, report);
  }
  checkPooledTasks(spec, report);
}

/** Lanes add up to 100 percent, and each lane's share of max_size can be an event source of its own. */
function checkLanes(pool: PoolSpec, maxSize: number, at: (...rest: (string | number)[]) => DefinitionPath, report: Report): void {
  if (!pool.priorities) return;
  const entries = Object.entries(pool.priorities);
  if (entries.length === 0) return report('invalid_value', at('priorities'), 'priorities must name at least one lane');
  let total = 0;
  for (const [lane, share] of entries) {
    total += share;
    if (!LANE_NAME.test(lane)) report('invalid_name', at('priorities', lane), `lane name "${lane}" must be 1-16 letters, digits or underscores, starting with a letter`);
    if (!(share > 0 && share <= 100)) report('value_out_of_range', at('priorities', lane), `lane ${lane}'s share must be above 0 and at most 100 (percent), got ${share}`);
  }
  if (Math.abs(total - 100) > 1e-9) {
    report('value_out_of_range', at('priorities'), `lane shares must add up to 100 (percent of max_size), got ${total}`);
    return;
  }
  for (const lane of laneConcurrency(pool.priorities, maxSize)) {
    if (lane.concurrency < MIN_EVENT_SOURCE_CONCURRENCY) {
      report('value_out_of_range', at('priorities', lane.name), `lane ${lane.name} gets ${lane.concurrency} of max_size ${maxSize}; each lane is an SQS event source of its own, whose MaximumConcurrency is at least ${MIN_EVENT_SOURCE_CONCURRENCY} (${SIZING_DOC}): raise max_size or the lane's share`);
    }
  }
}

function checkHandler(pool: PoolSpec, file: string, host: DefinitionHost, at: (...rest: (string | number)[]) => DefinitionPath, report: Report): void {
  const ref = resolveHandler(file, host.projectRoot, '', pool.handler);
  const source = host.readModule(ref.file);
  const shown = host.displayPath ?? ((f: string) => f);
  if (source === undefined) report('handler_not_found', at('handler'), `handler file ${shown(ref.file)} does not exist`);
  else if (!declaresExport(source, ref.exportName)) report('export_not_found', at('handler'), `handler file ${shown(ref.file)} has no export "${ref.exportName}"`);
}

function checkPooledTasks(spec: DefinitionFile, report: Report): void {
  const pools = spec.pools ?? {};
  (spec.workflow.tasks ?? []).forEach((task, i) => {
    const at = (...rest: (string | number)[]) => ['workflow', 'tasks', i, ...rest];
    if (task.priority !== undefined && task.pool === undefined) report('invalid_value', at('priority'), `task "${task.name}" has a priority but no pool; priority picks a lane of the task's pool`);
    if (task.pool === undefined) return;
    const pool = pools[task.pool];
    if (!pool) {
      const known = Object.keys(pools);
      report('unknown_pool', at('pool'), `unknown pool "${task.pool}"${known.length ? ` (declared: ${known.join(', ')})` : ' (no pools: block in this file)'}`);
      return;
    }
    if ((task.type ?? 'function') === 'service') report('invalid_value', at('pool'), `task "${task.name}" is a service task; only function tasks run in a pool`);
    if (task.handler !== undefined) report('invalid_value', at('handler'), `task "${task.name}" runs in pool "${task.pool}", whose handler receives the task event; drop "handler"`);
    const lanes = Object.keys(pool.priorities ?? POOL_DEFAULTS.lanes);
    if (task.priority !== undefined && !lanes.includes(task.priority)) {
      report('unknown_pool', at('priority'), `pool "${task.pool}" has no lane "${task.priority}" (lanes: ${lanes.join(', ')})`);
    }
  });
}

function checkSeconds(value: unknown, path: DefinitionPath, field: string, min: number, max: number, report: Report, why = ''): void {
  if (value === undefined) return;
  const seconds = parseDuration(value);
  if (seconds === undefined) return; // the schema reported it
  if (!Number.isInteger(seconds)) report('invalid_duration', path, `${field} must be whole seconds, got ${JSON.stringify(value)}`);
  else if (seconds < min || seconds > max) report('value_out_of_range', path, `${field} must be between ${min}s and ${max}s${why}, got ${JSON.stringify(value)}`);
}

/** A pool's settings with `process_management:` and stepflow's defaults applied. */
function effective(spec: DefinitionFile, pool: PoolSpec) {
  const shared = spec.process_management;
  return {
    minSize: pool.min_size ?? shared?.pool?.min_size ?? POOL_DEFAULTS.minSize,
    maxSize: pool.max_size ?? shared?.pool?.max_size ?? POOL_DEFAULTS.maxSize,
    idleTimeoutSeconds: seconds(pool.idle_timeout ?? shared?.pool?.idle_timeout) ?? POOL_DEFAULTS.idleTimeoutSeconds,
    maxRestarts: pool.recovery?.max_restarts ?? shared?.recovery?.max_restarts ?? POOL_DEFAULTS.maxRestarts,
  };
}

/**
 * Each lane's share of max_size, rounded down, the workers left over going to the lanes that lost the most
 * to rounding (highest priority first on ties), so the lanes add up to max_size exactly.
 */
export function laneConcurrency(priorities: Readonly<Record<string, number>>, maxSize: number): PoolLane[] {
  const lanes = Object.entries(priorities).map(([name, share], order) => {
    const exact = (maxSize * share) / 100;
    return { name, share, concurrency: Math.floor(exact), rest: exact - Math.floor(exact), order };
  });
  let left = maxSize - lanes.reduce((sum, l) => sum + l.concurrency, 0);
  for (const lane of [...lanes].sort((a, b) => b.rest - a.rest || a.order - b.order)) {
    if (left <= 0) break;
    lane.concurrency++;
    left--;
  }
  return lanes.map(({ name, share, concurrency }) => ({ name, share, concurrency }));
}

/** The pools of a valid definition file, in the units the backends use. */
export function normalisePools(spec: DefinitionFile, file: string, projectRoot: string): PoolDefinition[] {
  const shared = spec.process_management;
  return Object.entries(spec.pools ?? {}).map(([name, pool]) => {
    const settings = effective(spec, pool);
    const monitoring = { ...shared?.monitoring, ...pool.monitoring };
    const recovery = { ...shared?.recovery, ...pool.recovery };
    return {
      name,
      ...(pool.description !== undefined ? { description: pool.description } : {}),
      handler: resolveHandler(file, projectRoot, name, pool.handler),
      minSize: settings.minSize,
      maxSize: settings.maxSize,
      idleTimeoutSeconds: settings.idleTimeoutSeconds,
      batchSize: pool.batch_size ?? POOL_DEFAULTS.batchSize,
      timeoutSeconds: seconds(pool.timeout) ?? POOL_DEFAULTS.timeoutSeconds,
      memoryMb: pool.memory ?? POOL_DEFAULTS.memoryMb,
      lanes: laneConcurrency(pool.priorities ?? POOL_DEFAULTS.lanes, settings.maxSize),
      monitoring: {
        healthCheckIntervalSeconds: seconds(monitoring.health_check_interval) ?? POOL_DEFAULTS.healthCheckIntervalSeconds,
        metricsCollection: monitoring.metrics_collection ?? true,
        alerting: monitoring.alerting ?? true,
      },
      recovery: {
        autoRestart: recovery.auto_restart ?? true,
        maxRestarts: settings.maxRestarts,
        restartDelaySeconds: seconds(recovery.restart_delay) ?? POOL_DEFAULTS.restartDelaySeconds,
      },
      ...(pool.rate_limit ? { rateLimit: { max: pool.rate_limit.max, perSeconds: seconds(pool.rate_limit.per)! } } : {}),
    };
  });
}

function seconds(value: string | number | undefined): number | undefined {
  return value === undefined ? undefined : parseDuration(value);
}

/** Attempts of one job before it is dead-lettered: the queue's maxReceiveCount. */
export function maxAttempts(pool: PoolDefinition): number {
  return pool.recovery.autoRestart ? pool.recovery.maxRestarts + 1 : 1;
}
