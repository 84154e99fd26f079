import { DeleteRuleCommand, DescribeRuleCommand, RemoveTargetsCommand, ResourceNotFoundException } from '@aws-sdk/client-eventbridge';
import { API_RULE_DESCRIPTION, DISPATCHER_TARGET_ID } from '../../../core/contracts/event-rules.ts';
import { Conflict, NotFound } from '../../../core/errors.ts';
import { schedulingOf, type ApiDeps } from '../deps.ts';
import type { ApiResult } from '../response.ts';
import { requestedBus, ruleBuses } from '../event-buses.ts';

/**
 * `DELETE /event-rules/{name}?bus=`: removes the dispatcher target, then the rule. Only rules created
 * through the API (recognised by their description); declared rules belong to the deployment: 409.
 */
export async function deleteEventRule(deps: ApiDeps, name: string, bus?: string): Promise<ApiResult> {
  const scheduling = schedulingOf(deps);
  const busName = requestedBus(bus, ruleBuses(scheduling.settings), scheduling.settings);
  let description: string | undefined;
  try {
    description = (await scheduling.eventBridge.send(new DescribeRuleCommand({ Name: name, EventBusName: busName }))).Description;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) throw new NotFound(`unknown event rule "${name}"`, { code: 'unknown_event_rule' });
    throw error;
  }
  if (!description?.startsWith(API_RULE_DESCRIPTION)) {
    throw new Conflict(`event rule "${name}" was not created through the API; remove its trigger from the definition`, { code: 'declared_event_rule' });
  }
  await scheduling.eventBridge.send(new RemoveTargetsCommand({ Rule: name, EventBusName: busName, Ids: [DISPATCHER_TARGET_ID] }));
  await scheduling.eventBridge.send(new DeleteRuleCommand({ Name: name, EventBusName: busName }));
  return { statusCode: 200, body: { name, deleted: true } };
}
