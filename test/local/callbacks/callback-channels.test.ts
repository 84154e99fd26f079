import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { FauxqsServer } from 'fauxqs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../../core/compiler/compile.ts';
import type { ApiDeps } from '../../../functions/api/deps.ts';
import { answerCallback } from '../../../functions/api/operations/answer-callback.ts';
import type { TaskTokenAnswers } from '../../../functions/callbacks/task-token-answers.ts';
import { createAwsClients, type AwsClients } from '../../../functions/shared/clients.ts';
import { sdkCallbackChannels } from '../../../local/callbacks/sdk-callback-channels.ts';
import { LocalEventBus } from '../../../local/emulators/eventbridge/event-bus.ts';
import { startEventBridgeServer, type EventBridgeServer } from '../../../local/emulators/eventbridge/eventbridge-server.ts';
import { LocalEngine } from '../../../local/engine/local-engine.ts';
import { loadDefinitionText } from '../../../project/definition-files.ts';
import { startLocalSqs } from '../../support/fauxqs.ts';

const DEFINITIONS = fileURLToPath(new URL('../fixtures/definitions/', import.meta.url));

/** Events the partner's rule delivered, as EventBridge hands them to a target. */
const delivered: { source: string; 'detail-type': string; detail: { token: string; task: string; input: unknown } }[] = [];
let eventBridge: EventBridgeServer;
let sqs: FauxqsServer;
let clients: AwsClients;
let engine: LocalEngine;
let deps: ApiDeps;

beforeAll(async () => {
  // The partner listens on the project bus: a rule on the callback's source and detail-type, its target
  // answering the token through POST /callbacks/{token}.
  const bus = new LocalEventBus({
    buses: ['stepflow'],
    invoke: async (delivery) => {
      const event = JSON.parse(delivery.payload);
      delivered.push(event);
      await answerCallback(deps, event.detail.token, { output: { confirmed: event.detail.input.order } });
    },
  });
  bus.putRule({ Name: 'partner', EventBusName: 'stepflow', EventPattern: JSON.stringify({ source: ['stepflow.callback'], 'detail-type': ['partners.ask_bus'] }) });
  bus.putTargets('partner', 'stepflow', [{ Id: 'listener', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:partner-listener' }]);
  eventBridge = await startEventBridgeServer({ bus });
  sqs = await startLocalSqs();
  clients = createAwsClients({ region: 'us-east-1', endpoints: { eventbridge: eventBridge.url, sqs: sqs.address }, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

  const { definition, diagnostics } = loadDefinitionText(`workflow:
  name: partners
  tasks:
    - { name: ask_bus, type: callback, via: event, timeout: 1h }
    - { name: ask_queue, type: callback, via: sqs, timeout: 1h, depends_on: [ask_bus] }
    - { name: ask_nowhere, type: callback, via: event, event: { bus: missing, source: shop.orders }, timeout: 1h, on_failure: continue, depends_on: [ask_queue] }
`, `${DEFINITIONS}partners.yaml`);
  if (!definition) throw new Error(JSON.stringify(diagnostics));
  engine = new LocalEngine({
    plans: [compileWorkflow(definition)],
    callbackChannels: sdkCallbackChannels({ eventBridge: () => clients.eventBridge, sqs: () => clients.sqs }),
  });
  const taskTokens: TaskTokenAnswers = {
    succeed: async (token, output) => engine.sendTaskSuccess(token, output),
    fail: async (token, error, cause) => engine.sendTaskFailure(token, error, cause),
    heartbeat: async (token) => engine.sendTaskHeartbeat(token),
  };
  deps = { taskTokens } as unknown as ApiDeps;
});

afterAll(async () => {
  await engine?.close();
  await eventBridge?.close();
  sqs?.stop();
});

/** The partner's queue consumer: receives one message and answers its token. */
async function consumeOne(queueUrl: string) {
  for (;;) {
    const { Messages } = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1, MaxNumberOfMessages: 1 }));
    const message = Messages?.[0];
    if (!message) continue;
    const body = JSON.parse(message.Body!) as { token: string; task: string; results: Record<string, unknown> };
    await answerCallback(deps, body.token, { output: { queued: body.task, sawBefore: Object.keys(body.results) } });
    await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle! }));
    return body;
  }
}

describe('callbacks via event and sqs offline', () => {
  it('the event reaches a listener through the bus, the message a consumer through the queue; each answers its token', async () => {
    // The queue the stack would create, by the name the offline sender uses.
    const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: 'CallbackQueue_partners_ask_queue' }));
    const { executionArn } = await engine.start('partners', { order: 42 });
    const message = await consumeOne(QueueUrl!);
    const done = await engine.wait(executionArn);

    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({ source: 'stepflow.callback', 'detail-type': 'partners.ask_bus', detail: { task: 'ask_bus', workflow: 'partners', input: { order: 42 } } });
    expect(delivered[0].detail.token).toEqual(expect.any(String));
    expect(message).toMatchObject({ task: 'ask_queue', workflow: 'partners', input: { order: 42 } });

    expect(done.status).toBe('SUCCEEDED');
    const output = JSON.parse(done.output!);
    expect(output.ask_bus).toEqual({ confirmed: 42 });
    expect(output.ask_queue).toEqual({ queued: 'ask_queue', sawBefore: ['ask_bus'] });
    // A bus that does not exist: the entry is refused, and the state fails with EventBridge.FailedEntry.
    expect(output.ask_nowhere).toMatchObject({ error: 'EventBridge.FailedEntry' });
    expect(output.ask_nowhere.cause).toContain('NotFoundException');
  }, 30_000);

  it('without offline channels, a callback via event fails with the reason', async () => {
    const bare = new LocalEngine({ plans: [compileWorkflow(loadDefinitionText(`workflow:
  name: lonely
  tasks: [{ name: ask, type: callback, via: event, timeout: 1h }]
`, `${DEFINITIONS}lonely.yaml`).definition!)] });
    try {
      const { executionArn } = await bare.start('lonely', {});
      const done = await bare.wait(executionArn);
      expect(done.status).toBe('FAILED');
      expect(done.error).toBe('CallbackChannelUnavailable');
    } finally {
      await bare.close();
    }
  });
});
