import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EventBridgeClient, InvalidEventPatternException, TestEventPatternCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevStack, type DevStack } from '../../../../local/dev-stack.ts';
import { testEventPattern } from '../../../../local/emulators/eventbridge/test-event-pattern.ts';
import { DOCUMENTED_MATCHES } from '../../../core/scheduling/event-pattern/aws-doc-examples.ts';

const definitions = fileURLToPath(new URL('../../fixtures/definitions', import.meta.url));
const ENVELOPE = { version: '0', id: '1', 'detail-type': 'Order Placed', source: 'shop', account: '123456789012', time: '2024-01-01T00:00:00Z', region: 'us-east-1', resources: [] };

describe('TestEventPattern', () => {
  it('answers each documented example as AWS documents it', () => {
    for (const { pattern, event, matches } of DOCUMENTED_MATCHES) {
      const full = { ...ENVELOPE, ...(event as object) };
      const result = testEventPattern({ EventPattern: typeof pattern === 'string' ? pattern : JSON.stringify(pattern), Event: JSON.stringify(full) });
      expect(result.Result).toBe(matches);
    }
  });

  it('refuses an event missing a mandatory field', () => {
    const { id: _id, ...event } = ENVELOPE;
    expect(() => testEventPattern({ EventPattern: '{"source":["shop"]}', Event: JSON.stringify(event) })).toThrow(/"id"/);
  });
});

describe('TestEventPattern through the AWS SDK on the edge endpoint', () => {
  let stack: DevStack;
  let client: EventBridgeClient;
  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'stepflow-tep-'));
    stack = await startDevStack({ definitionsDir: definitions, dataDir, port: 0, servicesPort: 0, retryIntervalMs: 0, log: () => undefined, taskLog: () => undefined });
    client = new EventBridgeClient({ region: 'us-east-1', endpoint: stack.awsUrl, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });
  afterAll(async () => stack?.stop());

  it('says whether the event matches', async () => {
    const event = JSON.stringify({ ...ENVELOPE, detail: { region: 'eu-west-1' } });
    const yes = await client.send(new TestEventPatternCommand({ EventPattern: '{"detail":{"region":[{"anything-but":{"prefix":["us-","ap-"]}}]}}', Event: event }));
    expect(yes.Result).toBe(true);
    const no = await client.send(new TestEventPatternCommand({ EventPattern: '{"detail.region":[{"prefix":"us-"}]}', Event: event }));
    expect(no.Result).toBe(false);
  });

  it('refuses a bad pattern with InvalidEventPatternException', async () => {
    const sent = client.send(new TestEventPatternCommand({ EventPattern: '{"source":[{"wildcard":"a**b"}]}', Event: JSON.stringify(ENVELOPE) }));
    await expect(sent).rejects.toBeInstanceOf(InvalidEventPatternException);
    await expect(sent).rejects.toThrow(/consecutive wildcard/);
  });
});
