import { describe, expect, it } from 'vitest';
import { compileTriggers } from '../../../core/compiler/triggers.ts';

describe('compileTriggers on Unix cron', () => {
  it.each([
    ['0 0 * * *', 'cron(0 0 * * ? *)'],
    ['*/15 9-17 * * 1-5', 'cron(*/15 9-17 ? * 2-6 *)'],
    ['30 6 * * 0', 'cron(30 6 ? * 1 *)'],
    ['30 6 * * 7', 'cron(30 6 ? * 1 *)'],
    ['0 12 1 * *', 'cron(0 12 1 * ? *)'],
    ['0 8 * * MON,FRI', 'cron(0 8 ? * MON,FRI *)'],
  ])('%s → %s', (unix, aws) => {
    const [plan] = compileTriggers([{ kind: 'schedule', name: 'a', expression: unix, timezone: 'UTC', input: {}, enabled: true }]);
    expect(plan).toMatchObject({ awsExpression: aws, via: 'rule' });
  });
});

describe('compileTriggers', () => {
  it('sends UTC cron and rate to EventBridge rules, time zones and at() to Scheduler', () => {
    const plans = compileTriggers([
      { kind: 'schedule', name: 'a', expression: 'rate(5 minutes)', timezone: 'UTC', input: {}, enabled: true },
      { kind: 'schedule', name: 'b', expression: '0 9 * * *', timezone: 'America/New_York', input: {}, enabled: true },
      { kind: 'schedule', name: 'c', expression: 'at(2027-01-01T00:00:00)', timezone: 'UTC', input: {}, enabled: true },
    ]);
    expect(plans.map((p) => [p.name, p.kind === 'schedule' && p.via, p.kind === 'schedule' && p.awsExpression])).toEqual([
      ['a', 'rule', 'rate(5 minutes)'],
      ['b', 'scheduler', 'cron(0 9 * * ? *)'],
      ['c', 'scheduler', 'at(2027-01-01T00:00:00)'],
    ]);
  });

  it('turns an input template into an EventBridge input transformer', () => {
    const [plan] = compileTriggers([{
      kind: 'event', name: 'e', enabled: true, pattern: { source: ['x'] },
      input: { kind: 'template', template: { id: '<$.detail.id>', note: 'order <$.detail.id> from <$.source>', fixed: 1 } },
    }]);
    expect(plan).toMatchObject({
      inputTransformer: {
        inputPathsMap: { p0: '$.detail.id', p1: '$.source' },
        inputTemplate: '{"id":<p0>,"note":"order <p0> from <p1>","fixed":1}',
      },
    });
  });

  it('passes a path input as InputPath', () => {
    const [plan] = compileTriggers([{ kind: 'event', name: 'e', enabled: true, pattern: { source: ['x'] }, input: { kind: 'path', path: '$.detail' } }]);
    expect(plan).toMatchObject({ inputPath: '$.detail' });
  });
});
