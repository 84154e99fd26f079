/**
 * A JSON number together with the text it was written as. EventBridge compares exact-match numbers by
 * their string representation ("300, 300.0, and 3.0e2 are not considered equal",
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html), which `JSON.parse`
 * loses; parsing with source text access keeps it.
 */
export class JsonNumber {
  constructor(
    readonly value: number,
    readonly text: string,
  ) {}

  /** Serialises back as the number it stands for. */
  toJSON(): number {
    return this.value;
  }
}

/** `JSON.parse` that turns every number into a `JsonNumber` holding its source text (Node >= 21). */
export function parseJsonKeepingNumbers(text: string): unknown {
  return JSON.parse(text, function reviver(this: unknown, _key: string, value: unknown, context?: { source?: string }) {
    if (typeof value === 'number') return new JsonNumber(value, context?.source ?? String(value));
    return value;
  } as (this: unknown, key: string, value: unknown) => unknown);
}

export function isJsonNumber(value: unknown): value is number | JsonNumber {
  return typeof value === 'number' || value instanceof JsonNumber;
}

export function numberValue(value: number | JsonNumber): number {
  return typeof value === 'number' ? value : value.value;
}

/** The text of a number: its source when known, else how JavaScript prints it. */
export function numberText(value: number | JsonNumber): string {
  return typeof value === 'number' ? String(value) : value.text;
}

/** A plain object (not an array, not null, not a parsed number). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonNumber);
}
