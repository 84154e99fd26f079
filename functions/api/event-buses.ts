import { BadRequest } from '../../core/errors.ts';
import type { SchedulingConfig } from '../shared/config.ts';

/**
 * The buses the API may use, those its role is granted (infra/constructs/trigger-hub.ts `grantApi`):
 * PutEvents on the project bus and the default bus; rules only on the project bus.
 */
export function publishableBuses(settings: SchedulingConfig): string[] {
  return [...new Set([settings.eventBus, 'default'])];
}

export function ruleBuses(settings: SchedulingConfig): string[] {
  return [settings.eventBus];
}

/**
 * The bus a request names (by name or ARN, as EventBridge takes it), or the project bus when it names
 * none. Any other bus would be refused by IAM as a 5xx; it is the caller's mistake: 400 with the known buses.
 */
export function requestedBus(requested: string | undefined, known: readonly string[], settings: SchedulingConfig): string {
  if (requested === undefined) return settings.eventBus;
  // EventBusName takes a name or an ARN: arn:aws:events:<region>:<account>:event-bus/<name>
  // (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEventsRequestEntry.html).
  const name = /^arn:[^:]+:events:[^:]*:\d*:event-bus\/(.+)$/.exec(requested)?.[1] ?? requested;
  if (known.includes(name)) return requested;
  throw new BadRequest(`unknown event bus "${requested}"; known buses: ${known.join(', ')}`, { code: 'unknown_event_bus', details: { knownBuses: known } });
}
