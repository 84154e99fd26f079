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

  it('lets an Express name be used again: each start is a new execution', async () => {
    const { engine } = engineWith('EXPRESS');
    const first = await engine.start('quick', {}, { name: 'again' });
    const second = await engine.start('quick', { other: true }, { name: 'again' });
    expect(second.executionArn).not.toBe(first.executionArn);
  });
});
