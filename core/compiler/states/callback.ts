import type { TaskState } from '../../asl/index.ts';
import type { TaskDefinition } from '../../definition/model.ts';
import type { TaskStatePlan } from '../plan.ts';
import { WAIT_FOR_TOKEN_RESOURCE } from './gate.ts';
import { LAMBDA_SERVICE_ERRORS } from './task.ts';

/** A callback task waits this long for its answer when it sets no timeout. */
export const DEFAULT_CALLBACK_TIMEOUT_SECONDS = 24 * 60 * 60;

/**
 * Puts events and waits for the token (https://docs.aws.amazon.com/step-functions/latest/dg/connect-eventbridge.html):
 * Parameters `{ Entries: [{ Detail, DetailType, EventBusName, Source }] }`; a non-zero FailedEntryCount fails
 * the state with EventBridge.FailedEntry.
 */
export const EVENTS_PUT_AND_WAIT = 'arn:aws:states:::events:putEvents.waitForTaskToken';
/**
 * Sends a message and waits for the token (https://docs.aws.amazon.com/step-functions/latest/dg/connect-sqs.html):
 * Parameters `{ QueueUrl, MessageBody }`; an object MessageBody is sent as its JSON text.
 */
export const SQS_SEND_AND_WAIT_FOR_CALLBACK = 'arn:aws:states:::sqs:sendMessage.waitForTaskToken';
/** The project's event bus name in the ASL (the bus event triggers use): CDK and the offline engine fill it. */
export const PROJECT_BUS_PLACEHOLDER = 'ProjectEventBus';
/** Error of a callback event the bus did not take. */
export const EVENTBRIDGE_FAILED_ENTRY = 'EventBridge.FailedEntry';

/** The placeholder of the queue the stack creates for a callback task (a valid SQS queue name offline too). */
export function callbackQueuePlaceholder(workflow: string, task: string): string {
  return `CallbackQueue_${workflow.replace(/[^A-Za-z0-9_]/g, '_')}_${task}`;
}

/**
 * A `type: callback` task. Its ordinary state (the task event as Parameters) becomes:
 * - via http: the service invoker POSTs the task event with the token to the task's service;
 * - via event: one event on the bus, its Detail the task event with `token`;
 * - via sqs: one message, its body the task event with `token`.
 * The state then waits until SendTaskSuccess or SendTaskFailure names the token (POST /callbacks/{token}),
 * past TimeoutSeconds it fails with States.Timeout, and past HeartbeatSeconds without SendTaskHeartbeat with
 * States.HeartbeatTimeout (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token,
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html).
 */
export function callbackState(state: TaskState, task: Pick<TaskDefinition, 'name' | 'heartbeatSeconds' | 'callback'>, workflow: string): TaskState {
  const { Resource, Parameters, Retry, ...rest } = state;
  const payload = { ...(Parameters as Record<string, unknown>), 'token.$': '$$.Task.Token' };
  const heartbeat = task.heartbeatSeconds !== undefined ? { HeartbeatSeconds: task.heartbeatSeconds } : {};
  const channel = task.callback ?? { kind: 'http' };
  if (channel.kind === 'http') {
    return { ...rest, ...(Retry ? { Retry } : {}), Resource: WAIT_FOR_TOKEN_RESOURCE, Parameters: { FunctionName: Resource, Payload: payload }, ...heartbeat };
  }
  // Lambda's service errors cannot happen here: the SDK integration retries EventBridge's and SQS's own.
  const retry = (Retry ?? []).filter((r) => r.ErrorEquals !== LAMBDA_SERVICE_ERRORS);
  const common = { ...rest, ...(retry.length ? { Retry: retry } : {}), ...heartbeat };
  if (channel.kind === 'event') {
    return {
      ...common,
      Resource: EVENTS_PUT_AND_WAIT,
      Parameters: { Entries: [{ Detail: payload, DetailType: channel.detailType, EventBusName: channel.bus ?? `\${${PROJECT_BUS_PLACEHOLDER}}`, Source: channel.source }] },
    } as TaskState;
  }
  return {
    ...common,
    Resource: SQS_SEND_AND_WAIT_FOR_CALLBACK,
    Parameters: { QueueUrl: channel.queue?.url ?? `\${${callbackQueuePlaceholder(workflow, task.name)}}`, MessageBody: payload },
  } as TaskState;
}

/** The plan entry of a callback's state: the service invoker (http), or the bus or queue it hands its token to. */
export function callbackStatePlan(task: Pick<TaskDefinition, 'name' | 'callback'>, workflow: string, planTask: string, servicePlaceholder: string): TaskStatePlan {
  const channel = task.callback ?? { kind: 'http' };
  if (channel.kind === 'event') {
    return { task: planTask, kind: 'event', placeholder: channel.bus ?? PROJECT_BUS_PLACEHOLDER, channel: { kind: 'event', ...(channel.bus !== undefined ? { bus: channel.bus } : {}) } };
  }
  if (channel.kind === 'sqs') {
    return { task: planTask, kind: 'queue', placeholder: channel.queue?.url ?? callbackQueuePlaceholder(workflow, task.name), channel: { kind: 'queue', ...(channel.queue ? { queue: channel.queue } : {}) } };
  }
  return { task: planTask, kind: 'service', placeholder: servicePlaceholder };
}
