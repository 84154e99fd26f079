import type { EventInput } from '../contracts/trigger-condition.ts';

/**
 * The execution input an event trigger starts with, as EventBridge would hand it to a target
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html):
 * - `event` (or none): the whole event (the target's default input);
 * - `path`: the value at a JSONPath (InputPath), `null` when the event has nothing there;
 * - `template`: the template with every `<$.path>` placeholder replaced (InputTransformer). A string that
 *   is exactly one placeholder becomes the value itself, any JSON (a variable outside quotes); inside a
 *   longer string the value is spliced in as text, strings as they are and other values as JSON (a
 *   variable inside quotes). A path the event lacks gives `null`, or nothing when spliced.
 */
export function applyEventInput(eventInput: EventInput | undefined, event: unknown): unknown {
  if (!eventInput || eventInput.kind === 'event') return event;
  if (eventInput.kind === 'path') return readPath(event, eventInput.path) ?? null;
  return fillTemplate(eventInput.template, event);
}

const WHOLE_PLACEHOLDER = /^<(\$[^<>]*)>$/;
const PLACEHOLDER = /<(\$[^<>]*)>/g;

function fillTemplate(template: unknown, event: unknown): unknown {
  if (typeof template === 'string') {
    const whole = WHOLE_PLACEHOLDER.exec(template);
    if (whole) return readPath(event, whole[1]) ?? null;
    return template.replace(PLACEHOLDER, (_match, path: string) => spliced(readPath(event, path)));
  }
  if (Array.isArray(template)) return template.map((item) => fillTemplate(item, event));
  if (template && typeof template === 'object') {
    return Object.fromEntries(Object.entries(template).map(([key, value]) => [key, fillTemplate(value, event)]));
  }
  return template;
}

function spliced(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The value at a JSONPath of the subset EventBridge evaluates: `$`, dot notation with letters, digits,
 * `-` and `_`, and array indexes (`$.detail.items[0].id`). Undefined when the event has nothing there.
 */
export function readPath(value: unknown, path: string): unknown {
  if (path === '$') return value;
  if (!path.startsWith('$')) return undefined;
  const segments = [...path.slice(1).matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)];
  let current = value;
  for (const [, key, index] of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    if (index !== undefined) {
      if (!Array.isArray(current)) return undefined;
      current = current[Number(index)];
    } else {
      if (!Object.hasOwn(current, key)) return undefined;
      current = (current as Record<string, unknown>)[key];
    }
  }
  return current;
}
