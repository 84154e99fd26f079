import {
  DeleteRuleCommand,
  DescribeRuleCommand,
  InvalidEventPatternException,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-eventbridge';
import { scheduleIdFor } from '../../../core/contracts/schedule-id.ts';
import { eventRuleInputTransformer } from '../../../core/contracts/target-input.ts';
import { BadRequest, ConfigurationError, Conflict, HttpError, NotFound } from '../../../core/errors.ts';
import { validateEventPattern } from '../../../core/scheduling/event-pattern.ts';
import { schedulingOf, type ApiDeps } from '../deps.ts';
import { findWorkflow } from '../../executions/find-workflow.ts';
import { parseRequest } from '../request.ts';
import type { ApiResult } from '../response.ts';
import { createEventRuleBody } from '../schemas.ts';
import { API_RULE_DESCRIPTION, API_RULE_PREFIX, DISPATCHER_TARGET_ID } from '../../../core/contracts/event-rules.ts';
import { requestedBus, ruleBuses } from '../event-buses.ts';

/** EventBridge rule names: `[.\-_A-Za-z0-9]+`, at most 64 (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html). */
const MAX_RULE_NAME = 64;

/** As the declared triggers' targets (infra/constructs/trigger-hub.ts `retryAttempts`, `maxEventAge`). */
const DEFAULT_RETRY_ATTEMPTS = 8;
const DEFAULT_MAX_EVENT_AGE_SECONDS = 3600;

/**
 * `POST /event-rules` `{ workflow, pattern, name?, bus?, input?, condition? }` → 201 `{ name, ... }`: a rule
 * on the bus whose target is the dispatcher, the event passed whole through an InputTransformer
 * (`<aws.events.event.json>`) with the trigger's settings. The rule is named `stepflow-<workflow>.<name>`;
 * its fires are recorded under `<workflow>.<name>`. Every pattern problem EventBridge would report is a 400.
 *
 * The target retries as declared triggers' do and, with a dead-letter queue configured, sends what it could
 * not deliver there. EventBridge needs no role for that, only the queue's resource policy allowing
 * events.amazonaws.com sqs:SendMessage for these rules, which the trigger hub grants
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html).
 */
export async function createEventRule(deps: ApiDeps, body: unknown): Promise<ApiResult> {
  const scheduling = schedulingOf(deps);
  const request = parseRequest(createEventRuleBody, body ?? {}, 'request body');
  findWorkflow(deps, request.workflow);
  const problems = validateEventPattern(request.pattern);
  if (problems.length > 0) throw new BadRequest('invalid event pattern', { code: 'invalid_event_pattern', details: problems });
  const trigger = request.name ?? deps.newId();
  // Fires are recorded under <workflow>.<trigger>; the rule carries the prefix the API's IAM policy allows.
  const name = `${API_RULE_PREFIX}${scheduleIdFor(request.workflow, trigger)}`;
  if (name.length > MAX_RULE_NAME) {
    throw new BadRequest(`rule name "${name}" is longer than ${MAX_RULE_NAME} characters; give a shorter name`, { code: 'invalid_request' });
  }
  const { dispatcherArn, deadLetterArn, retryAttempts, maxEventAgeSeconds } = scheduling.settings;
  if (!dispatcherArn) throw new ConfigurationError('STEPFLOW_DISPATCHER_ARN must be set to create event rules');
  const bus = requestedBus(request.bus, ruleBuses(scheduling.settings), scheduling.settings);
  // PutRule creates or replaces: refuse a name in use rather than overwrite another rule.
  if (await ruleExists(deps, name, bus)) throw new Conflict(`event rule "${name}" exists; delete it first or choose another name`, { code: 'event_rule_exists' });
  try {
    await scheduling.eventBridge.send(
      new PutRuleCommand({
        Name: name,
        EventBusName: bus,
        EventPattern: JSON.stringify(request.pattern),
        State: 'ENABLED',
        Description: `${API_RULE_DESCRIPTION} for workflow ${request.workflow}`,
      }),
    );
  } catch (error) {
    if (error instanceof ResourceNotFoundException) throw new NotFound(`unknown event bus "${bus}"`, { code: 'unknown_event_bus' });
    if (error instanceof InvalidEventPatternException) throw new BadRequest(`EventBridge refused the pattern: ${error.message}`, { code: 'invalid_event_pattern' });
    throw error;
  }
  const targets = await scheduling.eventBridge.send(
    new PutTargetsCommand({
      Rule: name,
      EventBusName: bus,
      Targets: [
        {
          Id: DISPATCHER_TARGET_ID,
          Arn: dispatcherArn,
          InputTransformer: eventRuleInputTransformer({
            trigger,
            workflow: request.workflow,
            ...(request.input ? { eventInput: request.input } : {}),
            ...(request.condition ? { condition: request.condition } : {}),
          }),
          RetryPolicy: {
            MaximumRetryAttempts: retryAttempts ?? DEFAULT_RETRY_ATTEMPTS,
            MaximumEventAgeInSeconds: maxEventAgeSeconds ?? DEFAULT_MAX_EVENT_AGE_SECONDS,
          },
          ...(deadLetterArn ? { DeadLetterConfig: { Arn: deadLetterArn } } : {}),
        },
      ],
    }),
  );
  if ((targets.FailedEntryCount ?? 0) > 0) {
    // A rule without its target would match events and do nothing: take it away again.
    await scheduling.eventBridge.send(new RemoveTargetsCommand({ Rule: name, EventBusName: bus, Ids: [DISPATCHER_TARGET_ID] })).catch(() => undefined);
    await scheduling.eventBridge.send(new DeleteRuleCommand({ Name: name, EventBusName: bus }));
    const failure = targets.FailedEntries?.[0];
    throw new HttpError(502, 'event_rule_rejected', `EventBridge refused the rule's target: ${failure?.ErrorCode ?? ''} ${failure?.ErrorMessage ?? ''}`.trim());
  }
  return { statusCode: 201, body: { name, workflow: request.workflow, bus, pattern: request.pattern } };
}

async function ruleExists(deps: ApiDeps, name: string, bus: string): Promise<boolean> {
  try {
    await schedulingOf(deps).eventBridge.send(new DescribeRuleCommand({ Name: name, EventBusName: bus }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}
