import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { awsRegion } from '../shared/config.ts';

/*
 * Scheduler and EventBridge clients, created once per Lambda container. Their endpoints come from
 * AWS_ENDPOINT_URL_SCHEDULER and AWS_ENDPOINT_URL_EVENTBRIDGE, which the SDK reads itself
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html), so the offline stand-ins
 * serve them.
 */

let scheduler: SchedulerClient | undefined;
let eventBridge: EventBridgeClient | undefined;

export function schedulerClient(): SchedulerClient {
  scheduler ??= new SchedulerClient({ region: awsRegion() });
  return scheduler;
}

export function eventBridgeClient(): EventBridgeClient {
  eventBridge ??= new EventBridgeClient({ region: awsRegion() });
  return eventBridge;
}

/** Drop the cached clients (tests point the endpoints somewhere else between suites). */
export function resetSchedulingClients(): void {
  scheduler = undefined;
  eventBridge = undefined;
}
