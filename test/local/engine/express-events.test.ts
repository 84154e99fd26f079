import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExecutionLogDelivery } from '../../../local/engine/execution-log.ts';
import { LocalEngine } from '../../../local/engine/local-engine.ts';
import type { ExecutionStatusChangeEvent } from '../../../local/engine/status-event.ts';
import { sequential } from '../fixtures/plans.ts';

const engines: LocalEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

function unzip(delivery: ExecutionLogDelivery) {
  const data = JSON.parse(gunzipSync(Buffer.from(delivery.awslogs.data, 'base64')).toString());
  return { ...data, records: data.logEvents.map((e: { message: string }) => JSON.parse(e.message)) };
}

describe('LocalEngine status events per workflow mode', () => {
  function engineWith(mode: 'STANDARD' | 'EXPRESS') {
    const statusChanges: ExecutionStatusChangeEvent[] = [];
    const logs: ExecutionLogDelivery[] = [];
    const engine = new LocalEngine({
      plans: [{ ...sequential('quick', [{ name: 'only', handler: 'echo' }]), mode }],
      onStatusChange: (event) => void statusChanges.push(event),
      onExecutionLog: (event) => void logs.push(event),
    });
    engines.push(engine);
    return { engine, statusChanges, logs };
  }

  it('sends Standard executions as status-change events and writes no execution log deliveries', async () => {
    const { engine, statusChanges, logs } = engineWith('STANDARD');
    await engine.wait((await engine.start('quick', {}, { name: 's-1' })).executionArn);
    await engine.flush();
    expect(statusChanges.map((e) => e.detail.status)).toEqual(['RUNNING', 'SUCCEEDED']);
    expect(logs).toEqual([]);
  });

  it('gives Express executions an express ARN and, as AWS, no status-change events: their log group subscription delivers them', async () => {
    const { engine, statusChanges, logs } = engineWith('EXPRESS');
    const started = await engine.start('quick', { n: 1 }, { name: 'x-1' });
    await engine.wait(started.executionArn);
    await engine.flush();

    expect(started.executionArn).toMatch(/^arn:aws:states:us-east-1:000000000000:express:quick:x-1:[0-9a-f-]{36}$/);
    expect(statusChanges).toEqual([]);
    const records = logs.map(unzip).flatMap((d) => d.records);
    expect(records.map((r: { type: string }) => r.type)).toEqual(['ExecutionStarted', 'ExecutionSucceeded']);
    expect(records[0]).toMatchObject({ execution_arn: started.executionArn, details: { input: '{"n":1}' } });
  });

  it('logs each execution-level event as Step Functions does: the history ids, numbers as strings, and the details of its type', async () => {
    // GIVEN an Express workflow whose only task fails
    const engine = new LocalEngine({
      plans: [{ ...sequential('fragile', [{ name: 'only', handler: 'declined' }]), mode: 'EXPRESS' }],
      onExecutionLog: (event) => void logs.push(event),
    });
    engines.push(engine);
    const logs: ExecutionLogDelivery[] = [];

    // WHEN an execution runs
    const started = await engine.start('fragile', { n: 2 }, { name: 'f-1' });
    const done = await engine.wait(started.executionArn);
    await engine.flush();

    // THEN the subscription got the start and the failure, as records of the cw-logs format
    // (https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html), the ids those of the history
    const deliveries = logs.map(unzip);
    expect(deliveries.map((d) => d.logGroup)).toEqual(['/aws/vendedlogs/states/fragile', '/aws/vendedlogs/states/fragile']);
    const [start, end] = deliveries.flatMap((d) => d.records);
    const history = await engine.history(started.executionArn);
    const failed = history.find((e) => e.type === 'ExecutionFailed')!;
    expect(start).toEqual({
      id: '1',
      type: 'ExecutionStarted',
      details: { input: '{"n":2}', inputDetails: { truncated: false }, roleArn: 'arn:aws:iam::000000000000:role/stepflow-local' },
      previous_event_id: '0',
      event_timestamp: String(started.startDate.getTime()),
      execution_arn: started.executionArn,
      redrive_count: '0',
    });
    expect(end).toEqual({
      id: String(failed.id),
      type: 'ExecutionFailed',
      details: { error: done.error, cause: done.cause },
      previous_event_id: String(failed.previousEventId),
      event_timestamp: String(done.stopDate!.getTime()),
      execution_arn: started.executionArn,
      redrive_count: '0',
    });
    expect(done.error).toBeTruthy();
    // AND each log event carries the record's time
    expect(deliveries[1].logEvents[0].timestamp).toBe(done.stopDate!.getTime());
  });

  it('lets an Express name be used again: each start is a new execution', async () => {
    const { engine } = engineWith('EXPRESS');
    const first = await engine.start('quick', {}, { name: 'again' });
    const second = await engine.start('quick', { other: true }, { name: 'again' });
    expect(second.executionArn).not.toBe(first.executionArn);
  });
});
