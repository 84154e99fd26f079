import type { TaskState } from '../../asl/index.ts';
import { WAIT_FOR_TOKEN_RESOURCE } from './gate.ts';

/** A callback task waits this long for its answer when it sets no timeout. */
export const DEFAULT_CALLBACK_TIMEOUT_SECONDS = 24 * 60 * 60;

/**
 * A `type: callback` task: the service invoker POSTs the task event with the task token to the task's
 * service, and the state waits until SendTaskSuccess or SendTaskFailure names the token (POST
 * /callbacks/{token}), past TimeoutSeconds it fails with States.Timeout, and past HeartbeatSeconds
 * without SendTaskHeartbeat with States.HeartbeatTimeout
 * (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token,
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html). Made from the task's ordinary
 * state: its payload becomes the Lambda's Payload, with the token.
 */
export function callbackState(state: TaskState, heartbeatSeconds: number | undefined): TaskState {
  const { Resource, Parameters, ...rest } = state;
  return {
    ...rest,
    Resource: WAIT_FOR_TOKEN_RESOURCE,
    Parameters: { FunctionName: Resource, Payload: { ...(Parameters as Record<string, unknown>), 'token.$': '$$.Task.Token' } },
    ...(heartbeatSeconds !== undefined ? { HeartbeatSeconds: heartbeatSeconds } : {}),
  };
}
