import { ListRulesCommand, type Rule } from '@aws-sdk/client-eventbridge';
import { API_RULE_DESCRIPTION, API_RULE_PREFIX } from '../../../core/contracts/event-rules.ts';
import { scheduleIdFor } from '../../../core/contracts/schedule-id.ts';
import { schedulingOf, type ApiDeps } from '../deps.ts';
import type { ApiResult } from '../response.ts';

/** Deliveries shown per rule, newest first. */
const RECENT_DELIVERIES = 5;
/** Pages read from ListRules at most (100 rules each). */
const MAX_PAGES = 10;

/**
 * `GET /event-rules` → `{ items: [{ name, bus, workflow, trigger, pattern, state, origin, deliveries }] }`: the
 * rules on the project bus (declared in definitions or created through `POST /event-rules`), each with its
 * last deliveries as the dispatcher recorded them.
 */
export async function listEventRules(deps: ApiDeps): Promise<ApiResult> {
  const scheduling = schedulingOf(deps);
  const bus = scheduling.settings.eventBus;
  const rules: Rule[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await scheduling.eventBridge.send(new ListRulesCommand({ EventBusName: bus, NextToken: nextToken, Limit: 100 }));
    rules.push(...(answer.Rules ?? []));
    nextToken = answer.NextToken;
    if (!nextToken) break;
  }
  const items = await Promise.all(
    rules
      .filter((rule) => rule.EventPattern !== undefined)
      .map(async (rule) => {
        const trigger = triggerOf(rule);
        const deliveries = trigger ? await scheduling.schedules.fires(trigger.scheduleId, { limit: RECENT_DELIVERIES }) : [];
        return {
          name: rule.Name,
          bus: rule.EventBusName ?? bus,
          workflow: trigger?.workflow ?? null,
          trigger: trigger?.trigger ?? null,
          pattern: parsePattern(rule.EventPattern!),
          state: rule.State ?? 'ENABLED',
          origin: rule.Description?.startsWith(API_RULE_DESCRIPTION) ? 'api' : 'declared',
          deliveries,
        };
      }),
  );
  items.sort((a, b) => `${a.workflow}.${a.name}`.localeCompare(`${b.workflow}.${b.name}`));
  return { statusCode: 200, body: { items } };
}

/**
 * The trigger a rule starts: API rules are named `stepflow-<workflow>.<trigger>`, declared ones are described
 * `<workflow> trigger <trigger>`.
 */
function triggerOf(rule: Rule): { workflow: string; trigger: string; scheduleId: string } | undefined {
  const name = rule.Name ?? '';
  const fromName = name.startsWith(API_RULE_PREFIX) ? /^([^.]+)\.(.+)$/.exec(name.slice(API_RULE_PREFIX.length)) : null;
  const match = fromName ?? /^(\S+) trigger (\S+)$/.exec(rule.Description ?? '');
  if (!match) return undefined;
  return { workflow: match[1], trigger: match[2], scheduleId: scheduleIdFor(match[1], match[2]) };
}

function parsePattern(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
