import { isPlainObject, JsonNumber } from '../private/json-number.ts';

/** Keys and array indexes from the pattern root. */
export type Path = readonly (string | number)[];

/** Records one problem; validation goes on, so every problem is reported. */
export type Report = (code: string, path: Path, message: string) => void;

/** `detail.state`, or `the pattern` for the root: where a problem is, as messages name it. */
export function where(path: Path): string {
  if (path.length === 0) return 'the pattern';
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
}

/** The value received, as messages quote it (numbers keep their spelling, long values are cut). */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value instanceof JsonNumber) return value.text;
  if (Array.isArray(value)) return `an array ${truncate(JSON.stringify(value))}`;
  if (isPlainObject(value)) return `an object ${truncate(JSON.stringify(value))}`;
  return JSON.stringify(value) ?? String(value);
}

function truncate(text: string | undefined): string {
  if (text === undefined) return '';
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

