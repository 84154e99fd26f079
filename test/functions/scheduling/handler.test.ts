import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../functions/scheduling/handler.ts';
import { eventRuleInputTransformer, scheduleRuleInputTransformer, schedulerTargetInput } from '../../../core/contracts/target-input.ts';
import { NonRetriableError } from '../../../core/errors.ts';
import { startApiStack, type ApiStack } from '../../support/api-stack.ts';
import { createSchedulingStores } from '../../support/scheduling-stores.ts';

/** What EventBridge does with an InputTransformer: variables from the event, strings outside quotes as JSON. */
function transform(transformer: { InputPathsMap: Record<string, string>; InputTemplate: string }, event: Record<string, unknown>): unknown {
  let text = transformer.InputTemplate.replace('<aws.events.event.json>', JSON.stringify(event));
  for (const [name, path] of Object.entries(transformer.InputPathsMap)) {
    text = text.replace(`<${name}>`, JSON.stringify(event[path.slice(2)]));
  }
  return JSON.parse(text);
}

describe('dispatcher handler', () => {
  let api: ApiStack;
  let dispatch: ReturnType<typeof createDispatcher>;

  beforeAll(async () => {
    api = await startApiStack();
    const stores = await createSchedulingStores(api.dynamo.endpoint);
    dispatch = createDispatcher({ ...api.deps, clock: () => new Date('2025-01-02T00:00:01.000Z'), schedules: stores.schedules, flags: stores.flags });
  });
  afterAll(async () => {
    await api.close();
  });

  it('GIVEN a Scheduler invocation WHEN its Input carries the scheduled time THEN the fire starts', async () => {
    const input = schedulerTargetInput({ scheduleId: 'reports.api-1', workflow: 'reports', input: { note: '<b>' } });
    expect(input).not.toMatch(/<b>/); // angle brackets of constants are escaped
    const payload = JSON.parse(input.replace('<aws.scheduler.scheduled-time>', '2025-01-02T00:00:00Z'));
    expect(await dispatch(payload)).toMatchObject({ outcome: 'started', scheduleId: 'reports.api-1', latenessMs: 1000 });
    expect(api.sfn.calls.findLast((c) => c.operation === 'StartExecution')?.input.input).toBe('{"note":"<b>"}');
  });

  it('GIVEN a scheduled rule WHEN its InputTransformer passes the event time THEN the fire starts', async () => {
    const transformer = scheduleRuleInputTransformer({ scheduleId: 'reports.nightly', workflow: 'reports', input: {} });
    const payload = transform(transformer, { 'detail-type': 'Scheduled Event', time: '2025-01-02T00:00:00Z', id: 'x' });
    expect(await dispatch(payload)).toMatchObject({ outcome: 'started', scheduleId: 'reports.nightly' });
  });

  it('GIVEN an event rule WHEN its InputTransformer passes the whole event THEN the input is shaped from it', async () => {
    const transformer = eventRuleInputTransformer({ trigger: 'order_placed', workflow: 'reports', eventInput: { kind: 'template', template: { id: '<$.detail.id>' } } });
    const payload = transform(transformer, { id: 'ev-1', time: '2025-01-02T00:00:00Z', source: 'shop', 'detail-type': 'OrderPlaced', detail: { id: 'o-7' } });
    expect(await dispatch(payload)).toMatchObject({ outcome: 'started', scheduleId: 'reports.order_placed' });
    expect(api.sfn.calls.findLast((c) => c.operation === 'StartExecution')?.input.input).toBe('{"id":"o-7"}');
  });

  it('GIVEN an invalid payload THEN it is a NonRetriableError naming the problems', async () => {
    await expect(dispatch({ kind: 'schedule', workflow: 'reports' })).rejects.toThrow(NonRetriableError);
    await expect(dispatch({ kind: 'schedule', scheduleId: 'reports.x', workflow: 'reports' })).rejects.toThrow(/scheduledTime/);
    await expect(dispatch('nonsense')).rejects.toThrow(/invalid dispatcher payload/);
  });
});
