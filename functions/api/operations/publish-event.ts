import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { HttpError } from '../../../core/errors.ts';
import type { WorkflowConfig } from '../../../core/contracts/workflow-entry.ts';
import { schedulingOf, type ApiDeps } from '../deps.ts';
import { parseRequest } from '../request.ts';
import type { ApiResult } from '../response.ts';
import { publishEventBody } from '../schemas.ts';
import { publishableBuses, requestedBus } from '../event-buses.ts';

/**
 * `POST /events` `{ source, detailType, detail, bus?, resources? }` → 202 `{ eventId }`, through PutEvents
 * (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html). An entry EventBridge
 * refuses is a 502 with its error code and message.
 *
 * `max_events` caps event-triggered starts per workflow and minute, and the dispatcher enforces exactly
 * that (a start over the cap is skipped and recorded). An event is not tied to one workflow, so the API
 * only refuses what no workflow could take: more events in a minute than the sum of every workflow's
 * `max_events` → 429 with Retry-After. Without any `max_events`, no cap.
 */
export async function publishEvent(deps: ApiDeps, body: unknown): Promise<ApiResult> {
  const scheduling = schedulingOf(deps);
  const request = parseRequest(publishEventBody, body ?? {}, 'request body');
  const bus = requestedBus(request.bus, publishableBuses(scheduling.settings), scheduling.settings);
  const cap = eventCap(deps.workflows);
  if (cap !== undefined) {
    const decision = await scheduling.rateLimiter.tryAcquire('events#api', cap, deps.clock());
    if (!decision.admitted) {
      throw new HttpError(429, 'too_many_events', `more than ${cap} events this minute (the sum of the workflows' max_events); retry in ${decision.retryAfterSeconds} s`, {
        headers: { 'Retry-After': String(decision.retryAfterSeconds) },
      });
    }
  }
  const result = await scheduling.eventBridge.send(
    new PutEventsCommand({
      Entries: [
        {
          Source: request.source,
          DetailType: request.detailType,
          Detail: JSON.stringify(request.detail),
          EventBusName: bus,
          ...(request.resources ? { Resources: request.resources } : {}),
        },
      ],
    }),
  );
  const entry = result.Entries?.[0];
  if ((result.FailedEntryCount ?? 0) > 0 || !entry?.EventId) {
    const reason = entry?.ErrorCode ? `${entry.ErrorCode}: ${entry.ErrorMessage ?? ''}`.trim() : 'no event id returned';
    // Entry errors the caller caused (an unknown bus, a malformed detail) are theirs to fix: 4xx.
    // https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEventsResultEntry.html
    const status = entry?.ErrorCode === 'NotFoundException' ? 404 : entry?.ErrorCode && CALLER_ENTRY_ERRORS.has(entry.ErrorCode) ? 400 : 502;
    throw new HttpError(status, 'event_rejected', `EventBridge refused the event: ${reason}`);
  }
  return { statusCode: 202, body: { eventId: entry.EventId } };
}

const CALLER_ENTRY_ERRORS = new Set(['InvalidArgument', 'MalformedDetail', 'ValidationException']);

/** The sum of every workflow's max_events, or undefined when none sets one. */
function eventCap(workflows: Readonly<Record<string, WorkflowConfig>>): number | undefined {
  const caps = Object.values(workflows).flatMap((workflow) => (workflow.maxEvents === undefined ? [] : [workflow.maxEvents]));
  return caps.length === 0 ? undefined : caps.reduce((sum, cap) => sum + cap, 0);
}
