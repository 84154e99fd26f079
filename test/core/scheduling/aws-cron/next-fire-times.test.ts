import { describe, expect, it } from 'vitest';
import { nextFireTimes } from '../../../../core/scheduling/aws-cron.ts';
import { fires, SCHEDULER_DOC } from './fixtures.ts';

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
