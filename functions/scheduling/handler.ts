import { NonRetriableError } from '../../core/errors.ts';
import { createAwsClients } from '../shared/clients.ts';
import { loadConfig } from '../shared/config.ts';
import { defaultDispatchDeps } from './deps.ts';
import { dispatchFire, type DispatchDeps, type DispatchResult, type Fire } from './dispatch.ts';
import { applyEventInput } from '../../core/scheduling/event-input.ts';
import { dispatcherPayload, type DispatcherPayload } from './payload.ts';
import { scheduleDriftLine } from './drift-metric.ts';
import { lambdaEntry } from '../shared/lambda-entry.ts';

/**
 * The dispatcher over the given dependencies: validates the payload (see payload.ts; an invalid one is a
 * NonRetriableError, retrying it cannot help), turns it into a Fire and dispatches it.
 */
export function createDispatcher(deps: DispatchDeps): (payload: unknown) => Promise<DispatchResult> {
  return async (payload) => {
    const parsed = dispatcherPayload.safeParse(payload);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`);
      throw new NonRetriableError(`invalid dispatcher payload: ${problems.join('; ')}`, { cause: parsed.error });
    }
    const result = await dispatchFire(deps, toFire(parsed.data));
    deps.logger?.('info', `fire ${result.outcome}`, { ...result });
    return result;
  };
}

export function toFire(payload: DispatcherPayload): Fire {
  if (payload.kind === 'schedule') {
    const time = payload.scheduledTime ?? (payload.event?.time as string);
    return {
      scheduleId: payload.scheduleId,
      workflow: payload.workflow,
      scheduledTime: new Date(time),
      input: payload.input ?? {},
      ...(payload.condition ? { condition: payload.condition } : {}),
    };
  }
  return {
    triggerName: payload.trigger,
    workflow: payload.workflow,
    scheduledTime: new Date(payload.event.time),
    input: applyEventInput(payload.eventInput, payload.event),
    event: payload.event,
    ...(payload.condition ? { condition: payload.condition } : {}),
  };
}

let lambdaDispatcher: ReturnType<typeof createDispatcher> | undefined;

/** The Lambda entry point; dependencies are built from the environment on the first invocation. */
export const handler = lambdaEntry((payload: unknown): Promise<DispatchResult> => {
  if (!lambdaDispatcher) {
    const config = loadConfig(process.env);
    lambdaDispatcher = createDispatcher(defaultDispatchDeps(config, createAwsClients(config.aws)));
  }
  return lambdaDispatcher(payload).then((result) => {
    if (result.outcome === 'started') console.log(scheduleDriftLine(result.latenessMs, process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'dispatcher', new Date()));
    return result;
  });
});
