/**
 * Schedule expressions: AWS `cron(...)`, `rate(...)` and `at(...)`, and five-field Unix cron, parsed,
 * validated and turned into fire times with croner.
 *
 * Sources that decide behaviour:
 * - EventBridge "Schedule expressions for rules":
 *   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
 *   (fields, wildcards `, - * ? / L W #`, one of day-of-month / day-of-week is `?`, year 1970-2199,
 *   rate units singular for 1 and plural above, no rate under one minute)
 * - EventBridge Scheduler "Schedule types":
 *   https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 *   (`at(yyyy-mm-ddThh:mm:ss)` one-time schedules in a time zone; daylight saving time: a local time skipped
 *   by spring-forward does not fire, a time repeated by fall-back fires once; a rate of days is 24 hours)
 * - https://repost.aws/knowledge-center/eventbridge-scheduler-adjust-dst (the same DST rules, restated)
 */
import { Cron } from 'croner';
import { InvalidScheduleError, type Problem } from './errors.ts';
import { isValidTimeZone, wallClock, zonedTimeToUtc } from './private/zoned-time.ts';

export { isValidTimeZone } from './private/zoned-time.ts';

export type ScheduleProblem = Problem;

/** A cron schedule, AWS six-field or Unix five-field, with the croner pattern it translates to. */
export interface CronSchedule {
  readonly kind: 'cron';
  readonly expression: string;
  /** `aws` for `cron(min hour dom month dow year)`, `unix` for `min hour dom month dow`. */
  readonly syntax: 'aws' | 'unix';
  /** The pattern given to croner (seconds first; a year field for AWS cron). */
  readonly cronerPattern: string;
  /** AWS cron has `?` in one day field, so both day fields must hold (AND); Unix cron ORs them. */
  readonly domAndDow: boolean;
}

export interface RateSchedule {
  readonly kind: 'rate';
  readonly expression: string;
  readonly value: number;
  readonly unit: 'second' | 'minute' | 'hour' | 'day';
  /** The period in seconds: a day is 24 hours, whatever daylight saving time does to the wall clock. */
  readonly seconds: number;
}

/** A one-time schedule: a local date and time, read in the schedule's time zone. */
export interface AtSchedule {
  readonly kind: 'at';
  readonly expression: string;
  /** `yyyy-mm-ddThh:mm:ss`, local to the schedule's time zone. */
  readonly localTime: string;
}

export type Schedule = CronSchedule | RateSchedule | AtSchedule;

export type ParseScheduleResult =
  | { readonly ok: true; readonly schedule: Schedule; readonly problems: readonly [] }
  | { readonly ok: false; readonly schedule?: undefined; readonly problems: readonly ScheduleProblem[] };

export interface ParseScheduleOptions {
  /**
   * Shortest rate accepted, in seconds. AWS refuses rates under one minute; lower it only for offline runs.
   * @default 60
   */
  readonly minimumRateSeconds?: number;
  /**
   * IANA time zone the schedule runs in; checked with `Intl.DateTimeFormat`.
   * @default 'UTC'
   */
  readonly timezone?: string;
}

export interface NextFireTimesOptions {
  /** Fire times strictly after this instant are returned. */
  readonly from: Date;
  /** How many fire times at most. */
  readonly count: number;
  /**
   * IANA time zone in which cron fields and `at` times are read (EventBridge Scheduler); rules are UTC.
   * @default 'UTC'
   */
  readonly timezone?: string;
  /**
   * When a rate schedule started: it fires every period after this instant.
   * @default options.from
   */
  readonly start?: Date;
}

const DEFAULT_MINIMUM_RATE_SECONDS = 60;
const RATE_UNITS: Record<string, { unit: RateSchedule['unit']; seconds: number; plural: boolean }> = {
  second: { unit: 'second', seconds: 1, plural: false },
  seconds: { unit: 'second', seconds: 1, plural: true },
  minute: { unit: 'minute', seconds: 60, plural: false },
  minutes: { unit: 'minute', seconds: 60, plural: true },
  hour: { unit: 'hour', seconds: 3600, plural: false },
  hours: { unit: 'hour', seconds: 3600, plural: true },
  day: { unit: 'day', seconds: 86400, plural: false },
  days: { unit: 'day', seconds: 86400, plural: true },
};

/** Parses a schedule expression, reporting every problem found. */
export function parseSchedule(expression: string, options: ParseScheduleOptions = {}): ParseScheduleResult {
  const problems: ScheduleProblem[] = [];
  const report = (code: string, message: string, field?: string) =>
    problems.push({ code, path: field ? [field] : [], message });
  const timezone = options.timezone ?? 'UTC';
  if (!isValidTimeZone(timezone)) {
    report('unknown_time_zone', `unknown time zone "${timezone}"; expected an IANA name such as "America/New_York"`);
  }
  const text = expression.trim();
  let schedule: Schedule | undefined;
  if (text.startsWith('cron(')) schedule = parseAwsCron(text, report);
  else if (text.startsWith('rate(')) schedule = parseRate(text, options.minimumRateSeconds ?? DEFAULT_MINIMUM_RATE_SECONDS, report);
  else if (text.startsWith('at(')) schedule = parseAt(text, report);
  else if (text === '') report('empty_expression', 'schedule expression is empty');
  else schedule = parseUnixCron(text, report);
  if (problems.length > 0 || !schedule) return { ok: false, problems };
  return { ok: true, schedule, problems: [] };
}

/** Every problem in a schedule expression; empty when valid. */
export function validateSchedule(expression: string, options: ParseScheduleOptions = {}): ScheduleProblem[] {
  return [...parseSchedule(expression, options).problems];
}

/**
 * The next fire times of a schedule, strictly after `from`, with EventBridge Scheduler's daylight saving
 * rules: a local time that spring-forward skips does not fire, a local time that fall-back repeats fires
 * once, at its first occurrence (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html).
 * Throws `InvalidScheduleError` for an invalid expression or time zone.
 */
export function nextFireTimes(schedule: Schedule | string, options: NextFireTimesOptions): Date[] {
  const timezone = options.timezone ?? 'UTC';
  let parsed: Schedule;
  if (typeof schedule === 'string') {
    const result = parseSchedule(schedule, { timezone, minimumRateSeconds: 0 });
    if (!result.ok) throw new InvalidScheduleError(result.problems);
    parsed = result.schedule;
  } else {
    if (!isValidTimeZone(timezone)) {
      throw new InvalidScheduleError([{ code: 'unknown_time_zone', path: [], message: `unknown time zone "${timezone}"` }]);
    }
    parsed = schedule;
  }
  if (options.count <= 0) return [];
  switch (parsed.kind) {
    case 'rate':
      return rateFireTimes(parsed, options);
    case 'at': {
      const at = zonedTimeToUtc(parsed.localTime, timezone);
      return at.getTime() > options.from.getTime() ? [at] : [];
    }
    case 'cron':
      return cronFireTimes(parsed, options.from, options.count, timezone);
  }
}

// ---------------------------------------------------------------------------------------------------
// rate(value unit) and at(...)
// ---------------------------------------------------------------------------------------------------

type Report = (code: string, message: string, field?: string) => void;

function parseRate(text: string, minimumSeconds: number, report: Report): RateSchedule | undefined {
  const match = /^rate\(\s*(\S+)\s+(\S+)\s*\)$/.exec(text);
  if (!match) {
    report('invalid_rate', `rate expression "${text}" must be rate(value unit), e.g. rate(5 minutes)`);
    return undefined;
  }
  const [, valueText, unitText] = match;
  const unit = RATE_UNITS[unitText];
  let ok = true;
  if (!/^\d+$/.test(valueText) || Number(valueText) < 1) {
    report('invalid_rate', `rate value must be a positive whole number, received "${valueText}"`);
    ok = false;
  }
  if (!unit) {
    report('invalid_rate', `rate unit must be minute(s), hour(s) or day(s), received "${unitText}"`);
    return undefined;
  }
  if (!ok) return undefined;
  const value = Number(valueText);
  // "If the value is equal to 1, then the unit must be singular ... greater than 1, the unit must be plural."
  if (value === 1 && unit.plural) {
    report('invalid_rate', `rate(1 ${unitText}) must use the singular unit: rate(1 ${unit.unit})`);
    return undefined;
  }
  if (value > 1 && !unit.plural) {
    report('invalid_rate', `rate(${value} ${unitText}) must use the plural unit: rate(${value} ${unit.unit}s)`);
    return undefined;
  }
  const seconds = value * unit.seconds;
  if (seconds < minimumSeconds) {
    report('rate_too_short', `${text} fires every ${seconds}s; the shortest rate allowed is ${minimumSeconds}s (AWS refuses rates under one minute)`);
    return undefined;
  }
  return { kind: 'rate', expression: text, value, unit: unit.unit, seconds };
}

function rateFireTimes(schedule: RateSchedule, options: NextFireTimesOptions): Date[] {
  const period = schedule.seconds * 1000;
  const from = options.from.getTime();
  const start = (options.start ?? options.from).getTime();
  // The first fire is one period after the start; then every period.
  let k = Math.max(1, Math.floor((from - start) / period) + 1);
  while (start + k * period <= from) k++;
  return Array.from({ length: options.count }, (_, i) => new Date(start + (k + i) * period));
}

function parseAt(text: string, report: Report): AtSchedule | undefined {
  const match = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(text);
  if (!match) {
    report('invalid_at', `one-time expression "${text}" must be at(yyyy-mm-ddThh:mm:ss)`);
    return undefined;
  }
  const [y, mo, d, h, mi, s] = match.slice(1).map(Number);
  const probe = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    report('invalid_at', `"${text}" is not a real date and time`);
    return undefined;
  }
  return { kind: 'at', expression: text, localTime: text.slice(3, -1) };
}

// ---------------------------------------------------------------------------------------------------
// cron
// ---------------------------------------------------------------------------------------------------

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

function parseAwsCron(text: string, outer: Report): CronSchedule | undefined {
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

function parseUnixCron(text: string, report: Report): CronSchedule | undefined {
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

function makeCron(schedule: CronSchedule, timezone: string): Cron {
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

/**
 * croner's own DST handling runs a skipped fixed time after the gap and repeats interval jobs in the
 * repeated hour; Scheduler does neither, so candidates are filtered: one whose local wall clock croner did
 * not ask for (moved out of a gap) is dropped, and so is the second pass through a repeated local time.
 */
function cronFireTimes(schedule: CronSchedule, from: Date, count: number, timezone: string): Date[] {
  const cron = makeCron(schedule, timezone);
  const out: Date[] = [];
  let cursor = from;
  // Each real fire time costs at most a few rejected candidates around a DST change.
  for (let guard = 0; out.length < count && guard < count * 4 + 16; guard++) {
    const next = cron.nextRun(cursor);
    if (!next) break;
    cursor = next;
    if (!cron.match(next)) continue;
    if (isRepeatedWallClock(next, timezone)) continue;
    out.push(next);
  }
  return out;
}

/** Whether the same local wall-clock time already happened up to two hours earlier (fall-back). */
function isRepeatedWallClock(instant: Date, timezone: string): boolean {
  const wall = wallClock(instant, timezone);
  for (const minutes of [30, 60, 120]) {
    if (wallClock(new Date(instant.getTime() - minutes * 60_000), timezone) === wall) return true;
  }
  return false;
}
