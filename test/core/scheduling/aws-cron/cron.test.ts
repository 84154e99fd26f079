import { describe, expect, it } from 'vitest';
import { InvalidScheduleError } from '../../../../core/scheduling/errors.ts';
import { fires, RULES_DOC } from './fixtures.ts';

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
