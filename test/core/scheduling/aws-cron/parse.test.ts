import { describe, expect, it } from 'vitest';
import { isValidTimeZone, parseSchedule, validateSchedule } from '../../../../core/scheduling/aws-cron.ts';

describe('parseSchedule', () => {
  it('GIVEN cron(0/15 * * * ? *) WHEN parsed THEN 0/15 becomes every 15 minutes from 0 and ? becomes *', () => {
    const result = parseSchedule('cron(0/15 * * * ? *)');
    expect(result).toEqual({
      ok: true,
      problems: [],
      schedule: { kind: 'cron', expression: 'cron(0/15 * * * ? *)', syntax: 'aws', cronerPattern: '0 0,15,30,45 * * * * *', domAndDow: true },
    });
  });

  it('GIVEN names and 1-7 weekdays (SUN=1) WHEN parsed THEN croner gets 0-6 weekdays and month numbers', () => {
    const result = parseSchedule('cron(0 18 ? JAN-MAR MON-FRI *)');
    expect(result.ok && result.schedule.kind === 'cron' && result.schedule.cronerPattern).toBe('0 0 18 * 1,2,3 1,2,3,4,5 *');
  });

  it('GIVEN rate(5 minutes) WHEN parsed THEN the period is 300 seconds', () => {
    expect(parseSchedule('rate(5 minutes)')).toEqual({
      ok: true,
      problems: [],
      schedule: { kind: 'rate', expression: 'rate(5 minutes)', value: 5, unit: 'minute', seconds: 300 },
    });
  });

  it('GIVEN at(2026-01-01T00:00:00) WHEN parsed THEN it is a one-time schedule at that local time', () => {
    expect(parseSchedule('at(2026-01-01T00:00:00)')).toEqual({
      ok: true,
      problems: [],
      schedule: { kind: 'at', expression: 'at(2026-01-01T00:00:00)', localTime: '2026-01-01T00:00:00' },
    });
  });

  it('GIVEN a five-field Unix cron WHEN parsed THEN it is kept for croner with OR-ed day fields', () => {
    expect(parseSchedule('0 0 * * *')).toEqual({
      ok: true,
      problems: [],
      schedule: { kind: 'cron', expression: '0 0 * * *', syntax: 'unix', cronerPattern: '0 0 * * *', domAndDow: false },
    });
  });

  const invalid: { expression: string; code: string; options?: Parameters<typeof parseSchedule>[1] }[] = [
    // RULES_DOC "Limitations": a value or * in one day field needs ? in the other.
    { expression: 'cron(0 0 * * * *)', code: 'day_fields' },
    { expression: 'cron(0 0 ? * ? *)', code: 'day_fields' },
    { expression: 'cron(0 0 * *)', code: 'invalid_cron' },
    { expression: 'cron(60 0 * * ? *)', code: 'invalid_cron_field' },
    { expression: 'cron(0 24 * * ? *)', code: 'invalid_cron_field' },
    { expression: 'cron(0 0 32 * ? *)', code: 'invalid_cron_field' },
    { expression: 'cron(0 0 ? * 8 *)', code: 'invalid_cron_field' },
    { expression: 'cron(0 0 ? FOO * *)', code: 'invalid_cron_field' },
    // Year 1970-2199 (RULES_DOC field table).
    { expression: 'cron(0 0 * * ? 2200)', code: 'invalid_cron_field' },
    { expression: 'cron(0 0 * * ? 2030-2025)', code: 'invalid_cron_field' },
    // RULES_DOC: "3#1,6#3 is not valid because it is interpreted as two expressions".
    { expression: 'cron(0 0 ? * 3#1,6#3 *)', code: 'invalid_cron_field' },
    { expression: 'cron(0 0 ? * 3#6 *)', code: 'invalid_cron_field' },
    { expression: 'cron(0 0 L,15 * ? *)', code: 'invalid_cron_field' },
    // RULES_DOC rate "Limitations": singular unit for 1, plural above.
    { expression: 'rate(1 minutes)', code: 'invalid_rate' },
    { expression: 'rate(5 hour)', code: 'invalid_rate' },
    { expression: 'rate(0 minutes)', code: 'invalid_rate' },
    { expression: 'rate(5 weeks)', code: 'invalid_rate' },
    { expression: 'rate(five minutes)', code: 'invalid_rate' },
    // Rates under one minute are refused on AWS (RULES_DOC: "minimum precision ... is one minute").
    { expression: 'rate(30 seconds)', code: 'rate_too_short' },
    { expression: 'rate(5 minutes)', code: 'rate_too_short', options: { minimumRateSeconds: 600 } },
    { expression: 'at(2026-02-30T00:00:00)', code: 'invalid_at' },
    { expression: 'at(2026-01-01 00:00:00)', code: 'invalid_at' },
    { expression: '0 0 * *', code: 'invalid_cron' },
    { expression: '0 0 * * MOO', code: 'invalid_cron' },
    { expression: '', code: 'empty_expression' },
    { expression: 'cron(0 12 * * ? *)', code: 'unknown_time_zone', options: { timezone: 'Mars/Olympus_Mons' } },
    { expression: 'cron(0 12 * * ? *)', code: 'unknown_time_zone', options: { timezone: '+05:00' } },
  ];

  it.each(invalid)('GIVEN $expression WHEN parsed THEN it reports $code', ({ expression, code, options }) => {
    const result = parseSchedule(expression, options);
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.code)).toContain(code);
  });

  it('GIVEN rate(30 seconds) and minimumRateSeconds 1 WHEN parsed THEN the offline rate is accepted', () => {
    expect(validateSchedule('rate(30 seconds)', { minimumRateSeconds: 1 })).toEqual([]);
  });

  it('GIVEN a bad field and a bad time zone WHEN parsed THEN both are reported with the value received', () => {
    expect(validateSchedule('cron(61 0 * * ? *)', { timezone: 'Nowhere/City' })).toEqual([
      { code: 'unknown_time_zone', path: [], message: 'unknown time zone "Nowhere/City"; expected an IANA name such as "America/New_York"' },
      { code: 'invalid_cron_field', path: ['minutes'], message: 'minutes "61": 61 is outside 0-59' },
    ]);
  });

  it('GIVEN time zone names WHEN checked with Intl THEN IANA names pass and others fail', () => {
    expect(isValidTimeZone('Australia/Sydney')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Europe/Atlantis')).toBe(false);
  });
});
