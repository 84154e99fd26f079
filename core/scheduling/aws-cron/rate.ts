/**
 * `rate(value unit)`: singular unit for 1, plural above; no rate under one minute on AWS; a day is 24 hours.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html#eb-rate-expressions
 */
import type { RateSchedule, Report } from './schedule.ts';

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

/** Longest period accepted (100 years): past it, fire times are beyond what a Date holds or means. */
export const MAXIMUM_RATE_SECONDS = 36_500 * 86_400;

/** A `rate(...)` expression, or undefined after reporting every problem; `minimumSeconds` is the shortest period allowed. */
export function parseRate(text: string, minimumSeconds: number, report: Report): RateSchedule | undefined {
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
  if (seconds > MAXIMUM_RATE_SECONDS) {
    report('rate_too_long', `${text} is longer than the longest rate allowed, ${MAXIMUM_RATE_SECONDS / 86400} days (100 years)`);
    return undefined;
  }
  if (seconds < minimumSeconds) {
    report('rate_too_short', `${text} fires every ${seconds}s; the shortest rate allowed is ${minimumSeconds}s (AWS refuses rates under one minute)`);
    return undefined;
  }
  return { kind: 'rate', expression: text, value, unit: unit.unit, seconds };
}
