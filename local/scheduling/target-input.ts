/**
 * What an EventBridge rule target receives: the whole event, a constant `Input`, the value at `InputPath`,
 * or an `InputTransformer` template filled from the event
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html).
 */

import { readPath } from '../../core/scheduling/event-input.ts';

export interface InputTransformerSettings {
  /** Variable name → JSON path into the event (dot notation, array indexes). */
  readonly InputPathsMap?: Readonly<Record<string, string>>;
  readonly InputTemplate: string;
}

export interface TargetInputSettings {
  /** Constant JSON text sent instead of the event. */
  readonly Input?: string;
  /** JSON path of the part of the event sent. */
  readonly InputPath?: string;
  readonly InputTransformer?: InputTransformerSettings;
}

export interface RuleContext {
  readonly ruleArn: string;
  readonly ruleName: string;
  /** ISO 8601 time EventBridge received the event. */
  readonly ingestionTime: string;
}

/** The payload text for one target: JSON text, or plain text when a template is not JSON. */
export function targetInput(event: Record<string, unknown>, settings: TargetInputSettings, rule: RuleContext): string {
  if (settings.Input !== undefined) return settings.Input;
  if (settings.InputPath !== undefined) return JSON.stringify(readPath(event, settings.InputPath) ?? null);
  if (settings.InputTransformer) return transform(event, settings.InputTransformer, rule);
  return JSON.stringify(event);
}

/**
 * Fills `<name>` placeholders. "The InputTemplate can also be valid JSON with variables in quotes or out": a
 * placeholder outside quotes takes the JSON value; inside quotes a string value goes in as its characters
 * (escaped), anything else as its JSON text. A path absent from the event gives `null` outside quotes and an
 * empty string inside. Predefined variables: aws.events.rule-arn, aws.events.rule-name,
 * aws.events.event.ingestion-time, aws.events.event (the event without detail), aws.events.event.json.
 */
function transform(event: Record<string, unknown>, transformer: InputTransformerSettings, rule: RuleContext): string {
  const { detail: _detail, ...withoutDetail } = event;
  const values = new Map<string, unknown>([
    ['aws.events.rule-arn', rule.ruleArn],
    ['aws.events.rule-name', rule.ruleName],
    ['aws.events.event.ingestion-time', rule.ingestionTime],
    ['aws.events.event', withoutDetail],
    ['aws.events.event.json', event],
  ]);
  for (const [name, path] of Object.entries(transformer.InputPathsMap ?? {})) values.set(name, readPath(event, path));

  const template = transformer.InputTemplate;
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === '\\' && inString) {
      out += c + (template[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') inString = !inString;
    if (c === '<') {
      const end = template.indexOf('>', i);
      const name = end > i ? template.slice(i + 1, end) : '';
      if (values.has(name)) {
        const value = values.get(name);
        if (inString) out += typeof value === 'string' ? JSON.stringify(value).slice(1, -1) : value === undefined ? '' : JSON.stringify(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"');
        else out += value === undefined ? 'null' : typeof value === 'string' && !looksJson(template) ? value : JSON.stringify(value);
        i = end;
        continue;
      }
    }
    out += c;
  }
  return out;
}

/** A template that is not JSON ("<instance> is in state <status>") takes string values as they are. */
function looksJson(template: string): boolean {
  const t = template.trim();
  return t.startsWith('{') || t.startsWith('[') || t.startsWith('"');
}
