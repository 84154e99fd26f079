import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteRuleCommand,
  DescribeRuleCommand,
  EventBridgeClient,
  InvalidEventPatternException,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LocalEngine } from '../../../../local/engine/local-engine.ts';
import { startEventBridgeServer, type EventBridgeServer } from '../../../../local/emulators/eventbridge/eventbridge-server.ts';
import type { Delivery } from '../../../../local/emulators/eventbridge/delivery-queue.ts';
import { LocalEventBus } from '../../../../local/emulators/eventbridge/event-bus.ts';
import { sequential } from '../../fixtures/plans.ts';

const ORDERS = 'arn:aws:states:us-east-1:000000000000:stateMachine:orders';

describe('EventBridge server', () => {
  let engine: LocalEngine;
  let bus: LocalEventBus;
  let server: EventBridgeServer;
  let client: EventBridgeClient;
  const failing: Delivery[] = [];
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'stepflow-eb-'));
    engine = new LocalEngine({ plans: [sequential('orders', [{ name: 'only', handler: 'echo' }])] });
    bus = new LocalEventBus({
      buses: ['stepflow'],
      dataDir,
      retryBaseMs: 1,
      maxAttempts: 3,
      invoke: async (delivery) => {
        if (delivery.target.Arn === ORDERS) {
          await engine.start('orders', JSON.parse(delivery.payload), { name: `e-${delivery.eventId}` });
          return;
        }
        failing.push(delivery);
        throw new Error('target down');
      },
    });
    server = await startEventBridgeServer({ bus, recordCalls: true });
    client = new EventBridgeClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });
  afterAll(async () => {
    client.destroy();
    await bus.stop();
    await server.close();
    await engine.close();
  });

  it('accepts valid entries and fails the others one by one, as PutEvents does', async () => {
    const result = await client.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: JSON.stringify({ amount: 5 }) },
          { Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: '{not json' },
          { Source: 'shop.orders', Detail: '{}' },
          { Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: '{}', EventBusName: 'nope' },
          { Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: JSON.stringify({ blob: 'x'.repeat(256 * 1024) }) },
        ],
      }),
    );
    expect(result.FailedEntryCount).toBe(4);
    expect(result.Entries![0].EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.Entries!.slice(1).map((e) => e.ErrorCode)).toEqual(['MalformedDetail', 'InvalidArgument', 'NotFoundException', 'InvalidArgument']);
  });

  it('fails the whole request when no entry has Source, DetailType and Detail', async () => {
    await expect(client.send(new PutEventsCommand({ Entries: [{ Source: 'a' }] }))).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('creates, describes and lists rules and their targets; refuses invalid patterns and unknown rules', async () => {
    const { RuleArn } = await client.send(new PutRuleCommand({ Name: 'orders-placed', EventBusName: 'stepflow', EventPattern: JSON.stringify({ source: ['shop.orders'] }) }));
    expect(RuleArn).toBe('arn:aws:events:us-east-1:000000000000:rule/stepflow/orders-placed');
    expect(await client.send(new DescribeRuleCommand({ Name: 'orders-placed', EventBusName: 'stepflow' }))).toMatchObject({ Name: 'orders-placed', State: 'ENABLED', EventBusName: 'stepflow' });
    expect((await client.send(new ListRulesCommand({ EventBusName: 'stepflow', NamePrefix: 'orders' }))).Rules?.map((r) => r.Name)).toEqual(['orders-placed']);

    const put = await client.send(new PutTargetsCommand({ Rule: 'orders-placed', EventBusName: 'stepflow', Targets: [{ Id: 'a', Arn: ORDERS, Input: '{}', InputPath: '$.detail' }] }));
    expect(put).toMatchObject({ FailedEntryCount: 1, FailedEntries: [{ TargetId: 'a', ErrorCode: 'ValidationException' }] });
    await client.send(new PutTargetsCommand({ Rule: 'orders-placed', EventBusName: 'stepflow', Targets: [{ Id: 'a', Arn: ORDERS, InputPath: '$.detail' }] }));
    expect((await client.send(new ListTargetsByRuleCommand({ Rule: 'orders-placed', EventBusName: 'stepflow' }))).Targets).toEqual([{ Id: 'a', Arn: ORDERS, InputPath: '$.detail' }]);

    await expect(client.send(new DeleteRuleCommand({ Name: 'orders-placed', EventBusName: 'stepflow' }))).rejects.toMatchObject({ name: 'ValidationException' });
    await client.send(new RemoveTargetsCommand({ Rule: 'orders-placed', EventBusName: 'stepflow', Ids: ['a'] }));
    await client.send(new DeleteRuleCommand({ Name: 'orders-placed', EventBusName: 'stepflow' }));
    await expect(client.send(new DescribeRuleCommand({ Name: 'orders-placed', EventBusName: 'stepflow' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(client.send(new PutRuleCommand({ Name: 'bad', EventPattern: JSON.stringify({ source: 'not-an-array' }) }))).rejects.toBeInstanceOf(InvalidEventPatternException);
  });

  it('starts the workflow with the transformed input for a matching event, and nothing for a non-matching one', async () => {
    // GIVEN a rule on the project bus for big orders, targeting the workflow through an InputTransformer
    await client.send(
      new PutRuleCommand({ Name: 'big-orders', EventBusName: 'stepflow', EventPattern: JSON.stringify({ source: ['shop.orders'], detail: { amount: [{ numeric: ['>', 100] }] } }) }),
    );
    await client.send(
      new PutTargetsCommand({
        Rule: 'big-orders',
        EventBusName: 'stepflow',
        Targets: [
          {
            Id: 'workflow',
            Arn: ORDERS,
            InputTransformer: { InputPathsMap: { id: '$.detail.id', amount: '$.detail.amount' }, InputTemplate: '{"orderId": <id>, "note": "order <id> of <amount>", "rule": "<aws.events.rule-name>"}' },
          },
        ],
      }),
    );
    const before = engine.list({ workflow: 'orders' }).length;

    // WHEN one matching and one non-matching event are put
    const put = await client.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: 'stepflow', Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: JSON.stringify({ id: 'o-1', amount: 250 }) },
          { EventBusName: 'stepflow', Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: JSON.stringify({ id: 'o-2', amount: 3 }) },
        ],
      }),
    );
    await bus.drain();

    // THEN exactly one execution started, with the transformed input
    const started = engine.list({ workflow: 'orders' }).slice(0, engine.list({ workflow: 'orders' }).length - before);
    expect(started.map((e) => e.input)).toHaveLength(1);
    expect(started[0].name).toBe(`e-${put.Entries![0].EventId}`);
    expect(JSON.parse(started[0].input)).toEqual({ orderId: 'o-1', note: 'order o-1 of 250', rule: 'big-orders' });
    expect((await engine.wait(started[0].executionArn)).status).toBe('SUCCEEDED');
  });

  it('retries a failing target with backoff and dead-letters the delivery after the last try', async () => {
    await client.send(new PutRuleCommand({ Name: 'to-nowhere', EventPattern: JSON.stringify({ source: ['lost'] }) }));
    await client.send(new PutTargetsCommand({ Rule: 'to-nowhere', Targets: [{ Id: 'x', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:gone' }] }));
    const put = await client.send(new PutEventsCommand({ Entries: [{ Source: 'lost', DetailType: 'T', Detail: '{}' }] }));
    await vi.waitFor(() => expect(failing.filter((d) => d.eventId === put.Entries![0].EventId)).toHaveLength(3), { timeout: 5000, interval: 5 });
    await bus.drain();
    const dead = readFileSync(join(dataDir, 'dead-letters.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(dead.at(-1)).toMatchObject({ eventId: put.Entries![0].EventId, attempt: 3, error: 'Error: target down' });
  });

  it("keeps a target's RetryPolicy and DeadLetterConfig: tries it 1 + MaximumRetryAttempts times, then dead-letters to its queue", async () => {
    // GIVEN a rule whose failing target may be retried once and has a dead-letter queue
    const queue = 'arn:aws:sqs:us-east-1:000000000000:rule-dlq';
    await client.send(new PutRuleCommand({ Name: 'retried-once', EventPattern: JSON.stringify({ source: ['once'] }) }));
    await client.send(
      new PutTargetsCommand({
        Rule: 'retried-once',
        Targets: [{ Id: 'x', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:gone', RetryPolicy: { MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 60 }, DeadLetterConfig: { Arn: queue } }],
      }),
    );
    expect((await client.send(new ListTargetsByRuleCommand({ Rule: 'retried-once' }))).Targets).toMatchObject([
      { Id: 'x', RetryPolicy: { MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 60 }, DeadLetterConfig: { Arn: queue } },
    ]);

    // WHEN an event matches
    const put = await client.send(new PutEventsCommand({ Entries: [{ Source: 'once', DetailType: 'T', Detail: '{"n":1}' }] }));
    const eventId = put.Entries![0].EventId;
    await vi.waitFor(() => expect(bus.deadLetters(queue).map((d) => d.eventId)).toContain(eventId), { timeout: 5000, interval: 5 });

    // THEN it was tried twice (not the bus's 3), and the dead letter names its queue, rule and error
    expect(failing.filter((d) => d.eventId === eventId)).toHaveLength(2);
    expect(bus.deadLetters(queue).find((d) => d.eventId === eventId)).toMatchObject({ attempt: 2, rule: 'retried-once', deadLetterArn: queue, error: 'Error: target down' });
    expect(bus.deadLetters('arn:aws:sqs:us-east-1:000000000000:other')).toEqual([]);
  });

  it('refuses a RetryPolicy or DeadLetterConfig outside EventBridge bounds', async () => {
    await client.send(new PutRuleCommand({ Name: 'bounded', EventPattern: JSON.stringify({ source: ['b'] }) }));
    const answer = await client.send(
      new PutTargetsCommand({
        Rule: 'bounded',
        Targets: [
          { Id: 'too-many', Arn: ORDERS, RetryPolicy: { MaximumRetryAttempts: 186 } },
          { Id: 'too-young', Arn: ORDERS, RetryPolicy: { MaximumEventAgeInSeconds: 59 } },
          { Id: 'not-sqs', Arn: ORDERS, DeadLetterConfig: { Arn: 'arn:aws:sns:us-east-1:000000000000:topic' } },
        ],
      }),
    );
    expect(answer.FailedEntries?.map((f) => [f.TargetId, f.ErrorCode])).toEqual([
      ['too-many', 'ValidationException'],
      ['too-young', 'ValidationException'],
      ['not-sqs', 'ValidationException'],
    ]);
  });

  it('records every call with its input and answer, and answers injected faults in their place', async () => {
    // GIVEN one PutEvents entry and one whole DescribeRule to fail
    bus.failNextEntry('InternalFailure', 'try later');
    server.failNext('DescribeRule', { code: 'ConcurrentModificationException', message: 'busy' });

    // WHEN both are called
    const put = await client.send(new PutEventsCommand({ Entries: [{ Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: '{}' }] }));
    const described = client.send(new DescribeRuleCommand({ Name: 'whatever' }));

    // THEN the entry failed with the injected error, the operation too, and both calls are recorded as answered
    expect(put).toMatchObject({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try later' }] });
    await expect(described).rejects.toMatchObject({ name: 'ConcurrentModificationException', message: 'busy' });
    expect(server.calls.slice(-2)).toEqual([
      { operation: 'PutEvents', input: { Entries: [{ Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: '{}' }] }, output: { FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try later' }] } },
      { operation: 'DescribeRule', input: { Name: 'whatever' }, error: { code: 'ConcurrentModificationException', message: 'busy' } },
    ]);
    // AND the faults were used up: the next calls run
    expect((await client.send(new PutEventsCommand({ Entries: [{ Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: '{}' }] }))).FailedEntryCount).toBe(0);
    await expect(client.send(new DescribeRuleCommand({ Name: 'whatever' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});
