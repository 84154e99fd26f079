import { describe, expect, it } from 'vitest';
import {
  isValidTimeZone,
  nextFireTimes,
  parseSchedule,
  validateSchedule,
} from '../../../core/scheduling/aws-cron.ts';
import { InvalidScheduleError } from '../../../core/scheduling/errors.ts';

// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
const RULES_DOC = 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html';
// https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
const SCHEDULER_DOC = 'https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html';

function fires(expression: string, from: string, count: number, timezone?: string): string[] {
  return nextFireTimes(expression, { from: new Date(from), count, timezone }).map((d) => d.toISOString());
}

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

describe(`nextFireTimes: AWS cron fields (${RULES_DOC})`, () => {
  it('GIVEN cron(0 10 * * ? *) THEN it fires at 10:00 UTC every day', () => {
    expect(fires('cron(0 10 * * ? *)', '2026-01-01T10:00:00Z', 2)).toEqual(['2026-01-02T10:00:00.000Z', '2026-01-03T10:00:00.000Z']);
  });

  it('GIVEN cron(5,35 14 * * ? *) THEN it fires at 14:05 and 14:35 (list)', () => {
    expect(fires('cron(5,35 14 * * ? *)', '2026-01-01T00:00:00Z', 3)).toEqual([
      '2026-01-01T14:05:00.000Z',
      '2026-01-01T14:35:00.000Z',
      '2026-01-02T14:05:00.000Z',
    ]);
  });

  it('GIVEN cron(0/15 * * * ? *) THEN it fires every 15 minutes (step from 0)', () => {
    expect(fires('cron(0/15 * * * ? *)', '2026-01-01T00:50:00Z', 3)).toEqual([
      '2026-01-01T01:00:00.000Z',
      '2026-01-01T01:15:00.000Z',
      '2026-01-01T01:30:00.000Z',
    ]);
  });

  it('GIVEN cron(1/10 * * * ? *) THEN it fires at minutes 1, 11, 21 ...', () => {
    expect(fires('cron(1/10 * * * ? *)', '2026-01-01T00:00:00Z', 3)).toEqual([
      '2026-01-01T00:01:00.000Z',
      '2026-01-01T00:11:00.000Z',
      '2026-01-01T00:21:00.000Z',
    ]);
  });

  it('GIVEN cron(0/5 8-17 ? * MON-FRI *) THEN it runs 08:00-17:55 on weekdays only (range, names)', () => {
    // 2026-01-02 is a Friday; the next fire after Friday 17:55 is Monday 08:00.
    expect(fires('cron(0/5 8-17 ? * MON-FRI *)', '2026-01-02T17:50:00Z', 2)).toEqual([
      '2026-01-02T17:55:00.000Z',
      '2026-01-05T08:00:00.000Z',
    ]);
  });

  it('GIVEN cron(0/30 20-2 ? * MON-FRI *) THEN the hour range wraps past midnight', () => {
    // Monday 2026-01-05: 23:30, then Tuesday 00:00 (Tuesday is a weekday too).
    expect(fires('cron(0/30 20-2 ? * MON-FRI *)', '2026-01-05T23:00:00Z', 4)).toEqual([
      '2026-01-05T23:30:00.000Z',
      '2026-01-06T00:00:00.000Z',
      '2026-01-06T00:30:00.000Z',
      '2026-01-06T01:00:00.000Z',
    ]);
  });

  it('GIVEN cron(0 8 1 * ? *) THEN it fires on the 1st of each month (day-of-month, day-of-week ?)', () => {
    expect(fires('cron(0 8 1 * ? *)', '2026-01-15T00:00:00Z', 2)).toEqual(['2026-02-01T08:00:00.000Z', '2026-03-01T08:00:00.000Z']);
  });

  it('GIVEN cron(0 0 ? * 1 *) THEN 1 is Sunday', () => {
    // 2026-01-04 is a Sunday.
    expect(fires('cron(0 0 ? * 1 *)', '2026-01-01T00:00:00Z', 2)).toEqual(['2026-01-04T00:00:00.000Z', '2026-01-11T00:00:00.000Z']);
  });

  it('GIVEN cron(0 0 ? * SAT,SUN *) THEN weekday names select weekends', () => {
    expect(fires('cron(0 0 ? * SAT,SUN *)', '2026-01-01T00:00:00Z', 3)).toEqual([
      '2026-01-03T00:00:00.000Z',
      '2026-01-04T00:00:00.000Z',
      '2026-01-10T00:00:00.000Z',
    ]);
  });

  it('GIVEN cron(0 0 L * ? *) THEN it fires on the last day of each month (L)', () => {
    expect(fires('cron(0 0 L * ? *)', '2026-01-01T00:00:00Z', 3)).toEqual([
      '2026-01-31T00:00:00.000Z',
      '2026-02-28T00:00:00.000Z',
      '2026-03-31T00:00:00.000Z',
    ]);
  });

  it('GIVEN cron(0 0 LW * ? *) THEN it fires on the last weekday of each month (LW)', () => {
    // 2026-01-31 is a Saturday, 2026-02-28 a Saturday: the last weekdays are Fridays the 30th and 27th.
    expect(fires('cron(0 0 LW * ? *)', '2026-01-01T00:00:00Z', 3)).toEqual([
      '2026-01-30T00:00:00.000Z',
      '2026-02-27T00:00:00.000Z',
      '2026-03-31T00:00:00.000Z',
    ]);
  });

  it('GIVEN cron(0 0 3W * ? *) THEN it fires on the weekday nearest the 3rd (W)', () => {
    // 2026-01-03 is a Saturday → Friday 2nd; 2026-05-03 a Sunday → Monday 4th; 2026-02-03 a Tuesday.
    expect(fires('cron(0 0 3W * ? *)', '2026-01-01T00:00:00Z', 5)).toEqual([
      '2026-01-02T00:00:00.000Z',
      '2026-02-03T00:00:00.000Z',
      '2026-03-03T00:00:00.000Z',
      '2026-04-03T00:00:00.000Z',
      '2026-05-04T00:00:00.000Z',
    ]);
  });

  it('GIVEN cron(0 0 ? * 3#2 *) THEN it fires on the second Tuesday (#)', () => {
    expect(fires('cron(0 0 ? * 3#2 *)', '2026-01-01T00:00:00Z', 2)).toEqual(['2026-01-13T00:00:00.000Z', '2026-02-10T00:00:00.000Z']);
  });

  it('GIVEN cron(15 10 ? * 6L 2019-2022) THEN it fires on the last Friday, only in 2019-2022 (L, year)', () => {
    expect(fires('cron(15 10 ? * 6L 2019-2022)', '2022-10-01T00:00:00Z', 5)).toEqual([
      '2022-10-28T10:15:00.000Z',
      '2022-11-25T10:15:00.000Z',
      '2022-12-30T10:15:00.000Z',
    ]);
  });

  it('GIVEN a year list THEN fire times outside those years are filtered out', () => {
    expect(fires('cron(0 0 1 1 ? 2027,2029)', '2026-01-01T00:00:00Z', 5)).toEqual(['2027-01-01T00:00:00.000Z', '2029-01-01T00:00:00.000Z']);
  });

  it('GIVEN day-of-week set and day-of-month ? THEN only the weekday restricts (no OR with the month day)', () => {
    // 2026-02-01 is a Sunday: cron(0 0 ? * MON *) must not fire on it.
    expect(fires('cron(0 0 ? * MON *)', '2026-01-31T00:00:00Z', 1)).toEqual(['2026-02-02T00:00:00.000Z']);
  });

  it('GIVEN Unix cron "0 0 13 * 5" THEN day-of-month and day-of-week are OR-ed as in Vixie cron', () => {
    // Fridays in February 2026 (6, 13, 20, 27) and the 13th: Feb 6, Feb 13 (both), Feb 20.
    expect(fires('0 0 13 * 5', '2026-02-01T00:00:00Z', 3)).toEqual([
      '2026-02-06T00:00:00.000Z',
      '2026-02-13T00:00:00.000Z',
      '2026-02-20T00:00:00.000Z',
    ]);
  });

  it('GIVEN an invalid expression WHEN asked for fire times THEN InvalidScheduleError is thrown', () => {
    expect(() => fires('cron(0 0 * * * *)', '2026-01-01T00:00:00Z', 1)).toThrow(InvalidScheduleError);
  });
});

describe(`nextFireTimes: rate and at (${SCHEDULER_DOC})`, () => {
  it('GIVEN rate(5 minutes) started at 12:00 THEN it fires every 5 minutes after the start', () => {
    const times = nextFireTimes('rate(5 minutes)', { from: new Date('2026-01-01T12:07:00Z'), start: new Date('2026-01-01T12:00:00Z'), count: 2 });
    expect(times.map((d) => d.toISOString())).toEqual(['2026-01-01T12:10:00.000Z', '2026-01-01T12:15:00.000Z']);
  });

  it('GIVEN rate(1 day) across spring-forward in New York THEN a day is 24 hours, not a wall-clock day', () => {
    const times = nextFireTimes('rate(1 day)', { from: new Date('2026-03-07T05:00:00Z'), count: 2, timezone: 'America/New_York' });
    // 00:00 EST on March 8, then 01:00 EDT on March 9.
    expect(times.map((d) => d.toISOString())).toEqual(['2026-03-08T05:00:00.000Z', '2026-03-09T05:00:00.000Z']);
  });

  it('GIVEN at(2026-01-01T00:00:00) in Asia/Tokyo THEN it fires once, at midnight Tokyo time', () => {
    expect(fires('at(2026-01-01T00:00:00)', '2025-12-01T00:00:00Z', 3, 'Asia/Tokyo')).toEqual(['2025-12-31T15:00:00.000Z']);
  });

  it('GIVEN an at() time already past THEN it never fires', () => {
    expect(fires('at(2026-01-01T00:00:00)', '2026-06-01T00:00:00Z', 3)).toEqual([]);
  });
});

/**
 * Daylight saving time, EventBridge Scheduler semantics (SCHEDULER_DOC, "Daylight saving time"; restated
 * at https://repost.aws/knowledge-center/eventbridge-scheduler-adjust-dst): "When the time shifts forward
 * in Spring, your schedule invocation gets skipped if the cron expression falls on a non-existent date and
 * time. When the time shifts back in the Fall, your schedule runs only once." Expected instants below are
 * worked out by hand from each zone's 2026 transitions.
 */
describe('nextFireTimes: daylight saving time', () => {
  describe('America/New_York (2026: 02:00 EST → 03:00 EDT on March 8; 02:00 EDT → 01:00 EST on November 1)', () => {
    it('GIVEN 02:30 daily WHEN spring-forward skips 02:30 THEN March 8 does not fire', () => {
      // March 7 02:30 EST = 07:30Z; March 9 02:30 EDT = 06:30Z.
      expect(fires('cron(30 2 * * ? *)', '2026-03-07T00:00:00Z', 2, 'America/New_York')).toEqual([
        '2026-03-07T07:30:00.000Z',
        '2026-03-09T06:30:00.000Z',
      ]);
    });

    it('GIVEN 01:30 daily WHEN fall-back repeats 01:30 THEN it fires once, at the first (EDT) 01:30', () => {
      // November 1 01:30 EDT = 05:30Z (01:30 EST = 06:30Z is skipped); November 2 01:30 EST = 06:30Z.
      expect(fires('cron(30 1 * * ? *)', '2026-10-31T12:00:00Z', 2, 'America/New_York')).toEqual([
        '2026-11-01T05:30:00.000Z',
        '2026-11-02T06:30:00.000Z',
      ]);
    });

    it('GIVEN every 30 minutes WHEN spring-forward removes 02:00-02:59 THEN those local times are skipped', () => {
      // 01:30 EST = 06:30Z, then 03:00 EDT = 07:00Z.
      expect(fires('cron(0/30 * * * ? *)', '2026-03-08T06:15:00Z', 3, 'America/New_York')).toEqual([
        '2026-03-08T06:30:00.000Z',
        '2026-03-08T07:00:00.000Z',
        '2026-03-08T07:30:00.000Z',
      ]);
    });

    it('GIVEN every 30 minutes WHEN fall-back repeats 01:00-01:59 THEN each local time fires once', () => {
      // 01:00 and 01:30 EDT (05:00Z, 05:30Z); the EST repeats (06:00Z, 06:30Z) do not fire; 02:00 EST = 07:00Z.
      expect(fires('cron(0/30 * * * ? *)', '2026-11-01T04:45:00Z', 4, 'America/New_York')).toEqual([
        '2026-11-01T05:00:00.000Z',
        '2026-11-01T05:30:00.000Z',
        '2026-11-01T07:00:00.000Z',
        '2026-11-01T07:30:00.000Z',
      ]);
    });
  });

  describe('Europe/London (2026: 01:00 GMT → 02:00 BST on March 29; 02:00 BST → 01:00 GMT on October 25)', () => {
    it('GIVEN 01:30 daily WHEN spring-forward skips 01:30 THEN March 29 does not fire', () => {
      // March 28 01:30 GMT = 01:30Z; March 30 01:30 BST = 00:30Z.
      expect(fires('cron(30 1 * * ? *)', '2026-03-28T00:00:00Z', 2, 'Europe/London')).toEqual([
        '2026-03-28T01:30:00.000Z',
        '2026-03-30T00:30:00.000Z',
      ]);
    });

    it('GIVEN 01:30 daily WHEN fall-back repeats 01:30 THEN it fires once, at 01:30 BST', () => {
      // October 25 01:30 BST = 00:30Z (01:30 GMT = 01:30Z is skipped); October 26 01:30 GMT = 01:30Z.
      expect(fires('cron(30 1 * * ? *)', '2026-10-24T12:00:00Z', 2, 'Europe/London')).toEqual([
        '2026-10-25T00:30:00.000Z',
        '2026-10-26T01:30:00.000Z',
      ]);
    });
  });

  describe('Australia/Sydney (2026: 03:00 AEDT → 02:00 AEST on April 5; 02:00 AEST → 03:00 AEDT on October 4)', () => {
    it('GIVEN 02:30 daily WHEN spring-forward (October) skips 02:30 THEN October 4 does not fire', () => {
      // October 3 02:30 AEST (UTC+10) = Oct 2 16:30Z; October 5 02:30 AEDT (UTC+11) = Oct 4 15:30Z.
      expect(fires('cron(30 2 * * ? *)', '2026-10-02T00:00:00Z', 2, 'Australia/Sydney')).toEqual([
        '2026-10-02T16:30:00.000Z',
        '2026-10-04T15:30:00.000Z',
      ]);
    });

    it('GIVEN 02:30 daily WHEN fall-back (April) repeats 02:30 THEN it fires once, at 02:30 AEDT', () => {
      // April 4 02:30 AEDT = Apr 3 15:30Z; April 5 02:30 AEDT = Apr 4 15:30Z (AEST repeat 16:30Z skipped);
      // April 6 02:30 AEST = Apr 5 16:30Z.
      expect(fires('cron(30 2 * * ? *)', '2026-04-03T00:00:00Z', 3, 'Australia/Sydney')).toEqual([
        '2026-04-03T15:30:00.000Z',
        '2026-04-04T15:30:00.000Z',
        '2026-04-05T16:30:00.000Z',
      ]);
    });
  });

  it('GIVEN at() on a repeated local time THEN it fires at the first occurrence', () => {
    // 01:30 on November 1 2026 in New York happens first in EDT (05:30Z).
    expect(fires('at(2026-11-01T01:30:00)', '2026-10-01T00:00:00Z', 1, 'America/New_York')).toEqual(['2026-11-01T05:30:00.000Z']);
  });
});
