/**
 * TestEventPattern: whether an event pattern matches an event, answered as EventBridge does
 * (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_TestEventPattern.html): the pattern is
 * at most 4096 characters and refused with InvalidEventPatternException when EventBridge would refuse it;
 * the event is JSON holding id, account, source, time, region, resources and detail-type.
 */
import { compileEventPattern, validateEventPattern } from '../../../core/scheduling/event-pattern.ts';
import { EventBridgeError } from './eventbridge-error.ts';

const MAX_PATTERN_LENGTH = 4096;
const MANDATORY_EVENT_FIELDS = ['id', 'account', 'source', 'time', 'region', 'resources', 'detail-type'] as const;

export function testEventPattern(request: Record<string, unknown>): { Result: boolean } {
  const pattern = request.EventPattern;
  const event = request.Event;
  if (typeof pattern !== 'string' || pattern === '') throw validation('EventPattern');
  if (typeof event !== 'string' || event === '') throw validation('Event');
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new EventBridgeError('ValidationException', `1 validation error detected: Value at 'eventPattern' failed to satisfy constraint: Member must have length less than or equal to ${MAX_PATTERN_LENGTH}`);
  }
  const problems = validateEventPattern(pattern);
  if (problems.length > 0) {
    throw new EventBridgeError('InvalidEventPatternException', `Event pattern is not valid. Reason: ${problems.map((p) => p.message).join('; ')}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(event);
  } catch (error) {
    throw new EventBridgeError('InvalidEventPatternException', `Event is not valid. Reason: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new EventBridgeError('InvalidEventPatternException', 'Event is not valid. Reason: the event must be a JSON object');
  }
  const missing = MANDATORY_EVENT_FIELDS.filter((field) => !Object.hasOwn(parsed as object, field));
  if (missing.length > 0) {
    throw new EventBridgeError('InvalidEventPatternException', `Event is not valid. Reason: missing mandatory field(s) ${missing.map((f) => `"${f}"`).join(', ')}`);
  }
  // The event is passed as text so number spellings count for exact matches, as on AWS.
  return { Result: compileEventPattern(pattern)(event) };
}

function validation(member: string): EventBridgeError {
  return new EventBridgeError('ValidationException', `1 validation error detected: Value null at '${member[0].toLowerCase()}${member.slice(1)}' failed to satisfy constraint: Member must not be null`);
}
