import { DEFAULT_BACKOFF, type BackoffSettings, type CompensationDefinition } from './model.ts';
import { parseDuration } from './duration.ts';
import { resolveHandler } from './handlers.ts';
import type { TaskSpec } from './schema.ts';

/**
 * A task's `compensate:` in the units the compiler uses: a `path#export` string, or
 * `{ handler | service, retries, backoff }`. Without its own retries and backoff, a compensation is
 * retried as its task is.
 */
export function normaliseCompensation(task: TaskSpec, file: string, projectRoot: string, taskRetries: number, taskBackoff: BackoffSettings): CompensationDefinition | undefined {
  const spec = task.compensate;
  if (spec === undefined) return undefined;
  const written = typeof spec === 'string' ? { handler: spec } : spec;
  const backoff = written.backoff
    ? {
        intervalSeconds: seconds(written.backoff.interval) ?? DEFAULT_BACKOFF.intervalSeconds,
        rate: written.backoff.rate ?? DEFAULT_BACKOFF.rate,
        maxDelaySeconds: seconds(written.backoff.max_delay),
        jitter: written.backoff.jitter ?? DEFAULT_BACKOFF.jitter,
      }
    : taskBackoff;
  return {
    ...(written.handler ? { handler: resolveHandler(file, projectRoot, task.name, written.handler) } : {}),
    ...(written.service ? { service: written.service } : {}),
    retries: written.retries ?? taskRetries,
    backoff,
  };
}

function seconds(value: string | number | undefined): number | undefined {
  return value === undefined ? undefined : parseDuration(value);
}
