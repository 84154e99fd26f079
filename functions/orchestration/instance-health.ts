import type { HealthCheckSettings } from '../../core/definition/orchestration-model.ts';
import { INITIAL_HEALTH, type HealthRecord, type OrchestrationStore } from './records.ts';

/**
 * Health of instances from call outcomes (passive) and probes (active), kept in the store: `unhealthyAfter`
 * consecutive failures mark an instance down, `healthyAfter` consecutive successes mark it up again.
 * A success on a healthy instance with no failures writes nothing, so healthy traffic costs no write.
 */
export async function recordHealth(
  store: OrchestrationStore,
  service: string,
  instanceId: string,
  settings: Pick<HealthCheckSettings, 'unhealthyAfter' | 'healthyAfter'>,
  ok: boolean,
  current: HealthRecord | undefined,
  now: number,
): Promise<HealthRecord> {
  let record = current ?? INITIAL_HEALTH;
  for (let attempt = 0; attempt < 8; attempt++) {
    const next = nextHealth(record, settings, ok, now);
    if (!next) return record;
    if (await store.writeHealth(service, instanceId, next)) return next;
    record = (await store.readService(service)).health[instanceId] ?? INITIAL_HEALTH;
  }
  return record;
}

function nextHealth(record: HealthRecord, settings: Pick<HealthCheckSettings, 'unhealthyAfter' | 'healthyAfter'>, ok: boolean, now: number): HealthRecord | undefined {
  const version = record.version + 1;
  if (ok) {
    if (record.healthy && record.consecutiveFailures === 0) return undefined;
    if (record.healthy) return { ...record, consecutiveFailures: 0, consecutiveSuccesses: 0, checkedAt: now, version };
    const successes = record.consecutiveSuccesses + 1;
    return { healthy: successes >= settings.healthyAfter, consecutiveFailures: 0, consecutiveSuccesses: successes >= settings.healthyAfter ? 0 : successes, checkedAt: now, version };
  }
  const failures = record.consecutiveFailures + 1;
  return { healthy: record.healthy && failures < settings.unhealthyAfter, consecutiveFailures: failures, consecutiveSuccesses: 0, checkedAt: now, version };
}
