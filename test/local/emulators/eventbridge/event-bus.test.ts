import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Delivery } from '../../../../local/emulators/eventbridge/delivery-queue.ts';
import { LocalEventBus } from '../../../../local/emulators/eventbridge/event-bus.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

const TARGET = 'arn:aws:lambda:us-east-1:000000000000:function:stepflow-dispatcher';

/** Lets the deliveries' promise callbacks and the queued file writes run (no timer involved). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function ruleTo(bus: LocalEventBus): void {
  bus.putRule({ Name: 'orders', EventPattern: '{"source":["shop"]}' });
  bus.putTargets('orders', undefined, [{ Id: 'dispatcher', Arn: TARGET }]);
}

/** A data folder path taken by a file, so writing under it fails until the file is removed. */
function blockedDataDir(): string {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'stepflow-save-')), 'data');
  writeFileSync(dataDir, 'not a folder');
  return dataDir;
}

const order = { Source: 'shop', DetailType: 'OrderPlaced', Detail: '{"id":42}' };

describe('LocalEventBus on disk', () => {
  it('keeps a queued delivery in pending.jsonl while running, so a bus started after a crash delivers it', async () => {
    // GIVEN a bus whose target fails, so the delivery waits for a retry
    const dataDir = mkdtempSync(join(tmpdir(), 'stepflow-bus-'));
    const first = new LocalEventBus({
      dataDir,
      clock: new FakeClock(0),
      invoke: async () => {
        throw new Error('target down');
      },
    });
    ruleTo(first);
    const [accepted] = first.putEvents([order]).Entries as { EventId: string }[];
    await nextTurn();
    await first.flush();

    // WHEN the process "crashes" (the first bus is never stopped) and a second bus starts on the same data
    const delivered: Delivery[] = [];
    const second = new LocalEventBus({ dataDir, clock: new FakeClock(0), invoke: async (delivery) => void delivered.push(delivery) });
    await second.load();
    await second.drain();
    await second.flush();

    // THEN the second bus delivers the event the first one had accepted, once, and nothing is left pending
    expect(delivered.map((d) => [d.eventId, d.target.Arn, JSON.parse(d.payload).detail])).toEqual([[accepted.EventId, TARGET, { id: 42 }]]);
    expect(existsSync(join(dataDir, 'pending.jsonl'))).toBe(false);
    await second.stop();
  });

  it('reports a dead letter it cannot write instead of leaving the rejection unhandled', async () => {
    // GIVEN a bus that gives up after one try, and a dead-letter file that cannot be appended to
    const dataDir = mkdtempSync(join(tmpdir(), 'stepflow-bus-'));
    mkdirSync(join(dataDir, 'dead-letters.jsonl'));
    const errors: string[] = [];
    const bus = new LocalEventBus({
      dataDir,
      maxAttempts: 1,
      clock: new FakeClock(0),
      onError: (message) => errors.push(message),
      invoke: async () => {
        throw new Error('target down');
      },
    });
    ruleTo(bus);

    // WHEN an event fails its only try
    bus.putEvents([order]);
    await bus.drain();
    await bus.flush();

    // THEN the failure to dead-letter it is reported, and the bus is idle with nothing pending
    expect(errors).toEqual([expect.stringMatching(/^dead-lettering .*"eventId".* failed$/)]);
    expect(existsSync(join(dataDir, 'pending.jsonl'))).toBe(false);
    expect(readFileSync(join(dataDir, 'rules.json'), 'utf8')).toContain('orders');
    await bus.stop();
  });

  it('reports a failed write of rules.json, and the writes after it still happen', async () => {
    // GIVEN a bus whose data folder cannot be written at first
    const dataDir = blockedDataDir();
    const errors: string[] = [];
    const bus = new LocalEventBus({ dataDir, clock: new FakeClock(0), invoke: async () => undefined, onError: (message) => errors.push(message) });

    // WHEN one write fails, the folder is then freed and another rule is put
    bus.putRule({ Name: 'first', EventPattern: '{"source":["a"]}' });
    await bus.flush();
    expect(errors).toHaveLength(1);
    rmSync(dataDir);
    bus.putRule({ Name: 'second', EventPattern: '{"source":["b"]}' });
    await bus.flush();

    // THEN the later write happened, with both rules
    const saved = JSON.parse(readFileSync(join(dataDir, 'rules.json'), 'utf8')) as { rules: { Name: string }[] };
    expect(saved.rules.map((r) => r.Name)).toEqual(['first', 'second']);
    await bus.stop();
  });
});

describe('LocalEventBus retry policy', () => {
  it('dead-letters a delivery once the event is older than MaximumEventAgeInSeconds, tries left or not', async () => {
    // GIVEN a target failing every try, retried with 100 s waits, whose events may be at most 150 s old
    const clock = new FakeClock(0);
    const tries: number[] = [];
    const bus = new LocalEventBus({
      clock,
      maxAttempts: 10,
      retryBaseMs: 100_000,
      retryMaxMs: 100_000,
      invoke: async () => {
        tries.push(clock.now());
        throw new Error('target down');
      },
    });
    bus.putRule({ Name: 'aged', EventPattern: '{"source":["shop"]}' });
    bus.putTargets('aged', undefined, [{ Id: 'x', Arn: TARGET, RetryPolicy: { MaximumEventAgeInSeconds: 150 }, DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:000000000000:q' } }]);

    // WHEN an event matches and time passes
    bus.putEvents([order]);
    await nextTurn();
    clock.advanceTo(100_000);
    await nextTurn();
    clock.advanceTo(200_000);
    await nextTurn();
    await bus.drain();

    // THEN it was tried at 0, 100 s and 200 s; past 150 s old it went to its queue instead of a fourth try
    expect(tries).toEqual([0, 100_000, 200_000]);
    expect(bus.deadLetters('arn:aws:sqs:us-east-1:000000000000:q')).toMatchObject([{ attempt: 3, eventTime: new Date(0).toISOString() }]);
  });
});
