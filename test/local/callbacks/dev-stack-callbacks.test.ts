import { DeleteMessageCommand, GetQueueUrlCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients, type AwsClients } from '../../../functions/shared/clients.ts';
import { startDevStack, type DevStack } from '../../../local/dev-stack.ts';

const definitions = fileURLToPath(new URL('../fixtures/callback-channels', import.meta.url));

describe('callbacks via event and sqs under the dev stack', () => {
  let stack: DevStack;
  let clients: AwsClients;
  beforeAll(async () => {
    stack = await startDevStack({ definitionsDir: definitions, dataDir: mkdtempSync(join(tmpdir(), 'stepflow-callbacks-')), port: 0, servicesPort: 0, awsPort: 0, retryIntervalMs: 0, log: () => undefined, taskLog: () => undefined });
    (globalThis as { __partnerApiUrl?: string }).__partnerApiUrl = stack.url;
    clients = createAwsClients({ region: 'us-east-1', endpoints: { sqs: stack.pools.url }, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  }, 60_000);
  afterAll(async () => stack?.stop());

  /** The warehouse's consumer: the created queue's message, answered through POST /callbacks/{token}. */
  async function consumeOne() {
    for (let i = 0; i < 200; i++) {
      const queue = await clients.sqs.send(new GetQueueUrlCommand({ QueueName: 'CallbackQueue_partners_pack' })).catch(() => undefined);
      if (queue?.QueueUrl) {
        const { Messages } = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.QueueUrl, WaitTimeSeconds: 1 }));
        const message = Messages?.[0];
        if (message) {
          const body = JSON.parse(message.Body!) as { token: string; task: string };
          const answered = await fetch(`${stack.url}/callbacks/${encodeURIComponent(body.token)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ output: { packed: body.task } }) });
          await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: queue.QueueUrl, ReceiptHandle: message.ReceiptHandle! }));
          return answered.status;
        }
      } else {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    throw new Error('no callback message arrived');
  }

  it('the event starts the listener workflow on the project bus, which posts /callbacks/{token}; a consumer answers the queued message', async () => {
    const started = await fetch(`${stack.url}/workflows/partners/executions`, { method: 'POST', body: JSON.stringify({ name: 'order-9', input: { order: 9 } }) });
    expect(started.status).toBe(202);
    expect(await consumeOne()).toBe(200);
    for (;;) {
      const view = (await (await fetch(`${stack.url}/workflows/partners/executions/order-9`)).json()) as { status: string; output?: unknown };
      if (view.status !== 'RUNNING') {
        expect(view).toMatchObject({ status: 'SUCCEEDED', output: { confirm: { confirmed: 9 }, pack: { packed: 'pack' } } });
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const listened = (await (await fetch(`${stack.url}/workflows/partner_listener/executions`)).json()) as { items: { status: string }[] };
    expect(listened.items.map((e) => e.status)).toEqual(['SUCCEEDED']);
  }, 60_000);
});
