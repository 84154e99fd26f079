/**
 * AWS six-field `cron(...)` and five-field Unix cron, parsed and translated to croner patterns (AWS weekday
 * 1-7 with SUN=1 becomes 0-6, `0/15` becomes explicit values, the year field is kept).
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html#eb-cron-expressions
 */
import { Cron } from 'croner';
import type { CronSchedule, Report } from './schedule.ts';

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** Ranges may wrap around (20-2 in hours is 20..23,0..2); not so for years. */
  readonly cyclic: boolean;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const MINUTES: FieldSpec = { name: 'minutes', min: 0, max: 59, cyclic: true };
const HOURS: FieldSpec = { name: 'hours', min: 0, max: 23, cyclic: true };
const DAY_OF_MONTH: FieldSpec = { name: 'day-of-month', min: 1, max: 31, cyclic: true };
const MONTH: FieldSpec = { name: 'month', min: 1, max: 12, names: MONTHS, cyclic: true };
/** AWS numbers weekdays 1-7 with SUN=1; croner numbers them 0-6 with SUN=0. */
const DAY_OF_WEEK: FieldSpec = { name: 'day-of-week', min: 1, max: 7, names: WEEKDAYS, cyclic: true };
/** https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html: 1970-2199. */
const YEAR: FieldSpec = { name: 'year', min: 1970, max: 2199, cyclic: false };

/** A `cron(...)` expression translated for croner, or undefined after reporting every problem. */
export function parseAwsCron(text: string, outer: Report): CronSchedule | undefined {
  let failed = false;
  const report: Report = (code, message, field) => {
    failed = true;
    outer(code, message, field);
  };
  const match = /^cron\((.*)\)$/s.exec(text);
  const fields = match ? match[1].trim().split(/\s+/).filter(Boolean) : [];
  if (!match || fields.length !== 6) {
    report('invalid_cron', `cron expression "${text}" must have six fields: cron(minutes hours day-of-month month day-of-week year), received ${fields.length}`);
    return undefined;
  }
  const [minField, hourField, domField, monthField, dowField, yearField] = fields;
  const minutes = parseValues(minField, MINUTES, report);
  const hours = parseValues(hourField, HOURS, report);
  const months = parseValues(monthField, MONTH, report);
  const years = yearField === '*' ? '*' : parseValues(yearField, YEAR, report);

  // "You can't specify the Day-of-month and Day-of-week fields in the same cron expression. If you specify a
  // value or a * (asterisk) in one of the fields, you must use a ? (question mark) in the other."
  const domAny = domField === '?';
  const dowAny = dowField === '?';
  if (domAny === dowAny) {
    report(
      'day_fields',
      domAny
        ? `cron "${text}": day-of-month and day-of-week cannot both be ?; use ? in exactly one of them`
        : `cron "${text}": one of day-of-month ("${domField}") and day-of-week ("${dowField}") must be ?`,
      'day-of-month',
    );
  }
  const dom = domAny ? '*' : parseDayOfMonth(domField, report);
  const dow = dowAny ? '*' : parseDayOfWeek(dowField, report);
  if (failed || !minutes || !hours || !months || !years || !dom || !dow) return undefined;

  const pattern = ['0', minutes, hours, dom, months, dow, years].join(' ');
  return checkCroner({ kind: 'cron', expression: text, syntax: 'aws', cronerPattern: pattern, domAndDow: true }, report);
}

/** Five-field Unix cron (or a croner `@` nickname), checked by croner itself. */
export function parseUnixCron(text: string, report: Report): CronSchedule | undefined {
  const fields = text.split(/\s+/);
  if (!text.startsWith('@') && fields.length !== 5) {
    report('invalid_cron', `"${text}" is not a schedule expression: expected cron(...), rate(...), at(...) or five-field cron "min hour day-of-month month day-of-week", received ${fields.length} fields`);
    return undefined;
  }
  // Vixie cron ORs the two day fields when both are restricted; croner does the same by default.
  return checkCroner({ kind: 'cron', expression: text, syntax: 'unix', cronerPattern: text, domAndDow: false }, report);
}

function checkCroner(schedule: CronSchedule, report: Report): CronSchedule | undefined {
  try {
    makeCron(schedule, 'UTC');
    return schedule;
  } catch (error) {
    report('invalid_cron', `cron "${schedule.expression}": ${(error as Error).message}`);
    return undefined;
  }
}

/** A paused croner job for the schedule in a time zone: used to compute fire times, never to run anything. */
export function makeCron(schedule: CronSchedule, timezone: string): Cron {
  return new Cron(schedule.cronerPattern, {
    paused: true,
    timezone,
    mode: schedule.syntax === 'aws' ? '7-part' : '5-part',
    domAndDow: schedule.domAndDow,
  });
}

/**
 * A list of `*`, `a`, `a-b`, `*\/n`, `a/n`, `a-b/n` items as the explicit, sorted values croner gets
 * (`0/15` is `0-59/15`; a wrapping range such as hours `20-2` becomes 20,21,22,23,0,1,2), or `*`.
 */
function parseValues(field: string, spec: FieldSpec, report: Report): string | undefined {
  const values = expandField(field, spec, report);
  if (!values) return undefined;
  const full = values.size === spec.max - spec.min + 1;
  if (full && spec.cyclic) return '*';
  return [...values].sort((a, b) => a - b).join(',');
}

function expandField(field: string, spec: FieldSpec, report: Report): Set<number> | undefined {
  const values = new Set<number>();
  for (const item of field.split(',')) {
    const m = /^(\*|[A-Za-z0-9]+)(?:-([A-Za-z0-9]+))?(?:\/(\d+))?$/.exec(item);
    if (!m) {
      report('invalid_cron_field', `${spec.name} "${field}": "${item}" is not a value, range or step`, spec.name);
      return undefined;
    }
    const [, startText, endText, stepText] = m;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) {
      report('invalid_cron_field', `${spec.name} "${field}": step must be at least 1`, spec.name);
      return undefined;
    }
    let start: number | undefined;
    let end: number | undefined;
    if (startText === '*') {
      if (endText !== undefined) {
        report('invalid_cron_field', `${spec.name} "${field}": "*" cannot start a range`, spec.name);
        return undefined;
      }
      start = spec.min;
      end = spec.max;
    } else {
      start = valueOf(startText, spec, field, report);
      // `a/n` runs from a to the end of the field (AWS: "0/15" in minutes is every 15 minutes from 0).
      end = endText !== undefined ? valueOf(endText, spec, field, report) : stepText !== undefined ? spec.max : start;
    }
    if (start === undefined || end === undefined) return undefined;
    if (end < start && !spec.cyclic) {
      report('invalid_cron_field', `${spec.name} "${field}": range ${start}-${end} runs backwards`, spec.name);
      return undefined;
    }
    const span = end >= start ? end - start : spec.max - start + 1 + (end - spec.min);
    for (let i = 0; i <= span; i += step) {
      const v = start + i;
      values.add(v > spec.max ? v - (spec.max - spec.min + 1) : v);
    }
  }
  return values;
}

function valueOf(text: string, spec: FieldSpec, field: string, report: Report): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n >= spec.min && n <= spec.max) return n;
    report('invalid_cron_field', `${spec.name} "${field}": ${n} is outside ${spec.min}-${spec.max}`, spec.name);
    return undefined;
  }
  const index = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (index >= 0) return spec.min + index;
  report('invalid_cron_field', `${spec.name} "${field}": unknown value "${text}"${spec.names ? ` (expected ${spec.min}-${spec.max} or ${spec.names[0]}-${spec.names.at(-1)})` : ''}`, spec.name);
  return undefined;
}

/** Day-of-month: values, ranges and steps, or `L` (last day), `LW` (last weekday), `nW` (weekday nearest n). */
function parseDayOfMonth(field: string, report: Report): string | undefined {
  const upper = field.toUpperCase();
  if (upper === 'L' || upper === 'LW') return upper;
  const w = /^(\d{1,2})W$/.exec(upper);
  if (w) {
    const n = Number(w[1]);
    if (n >= 1 && n <= 31) return `${n}W`;
    report('invalid_cron_field', `day-of-month "${field}": ${n}W needs a day 1-31`, 'day-of-month');
    return undefined;
  }
  if (/[LW]/.test(upper)) {
    report('invalid_cron_field', `day-of-month "${field}": L, LW and nW stand alone, not in lists or ranges`, 'day-of-month');
    return undefined;
  }
  return parseValues(field, DAY_OF_MONTH, report);
}

/**
 * Day-of-week (1-7, SUN=1): values, ranges and steps, `L` (the last day of the week, Saturday), `nL` (the last
 * n-day of the month, e.g. 6L the last Friday) or `n#k` (the k-th n-day, e.g. 3#2 the second Tuesday). "If
 * you use a '#' character, you can define only one expression in the day-of-week field."
 */
function parseDayOfWeek(field: string, report: Report): string | undefined {
  const upper = field.toUpperCase();
  const toCroner = (aws: number) => String(aws - 1);
  if (upper === 'L') return toCroner(7);
  const last = /^([A-Z]{3}|\d)L$/.exec(upper);
  if (last) {
    const day = valueOf(last[1], DAY_OF_WEEK, field, report);
    return day === undefined ? undefined : `${toCroner(day)}#L`;
  }
  if (upper.includes('#')) {
    const nth = /^([A-Z]{3}|\d)#(\d)$/.exec(upper);
    if (!nth) {
      report('invalid_cron_field', `day-of-week "${field}": # takes one expression such as 3#2 (the second Tuesday)`, 'day-of-week');
      return undefined;
    }
    const day = valueOf(nth[1], DAY_OF_WEEK, field, report);
    const k = Number(nth[2]);
    if (k < 1 || k > 5) {
      report('invalid_cron_field', `day-of-week "${field}": the occurrence after # must be 1-5`, 'day-of-week');
      return undefined;
    }
    return day === undefined ? undefined : `${toCroner(day)}#${k}`;
  }
  if (upper.includes('L')) {
    report('invalid_cron_field', `day-of-week "${field}": L stands alone or after one day (6L), not in lists or ranges`, 'day-of-week');
    return undefined;
  }
  const values = expandField(field, DAY_OF_WEEK, report);
  if (!values) return undefined;
  if (values.size === 7) return '*';
  return [...values].sort((a, b) => a - b).map(toCroner).join(',');
}
