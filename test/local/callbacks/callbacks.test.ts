import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../../core/compiler/compile.ts';
import type { ApiDeps } from '../../../functions/api/deps.ts';
import { answerCallback, callbackHeartbeat } from '../../../functions/api/operations/answer-callback.ts';
import type { TaskTokenAnswers } from '../../../functions/callbacks/task-token-answers.ts';
import { LocalEngine } from '../../../local/engine/local-engine.ts';
import { loadDefinitionText } from '../../../project/definition-files.ts';
import { FakeClock } from '../../support/fake-clock.ts';

const DEFINITIONS = fileURLToPath(new URL('../fixtures/definitions/', import.meta.url));

/** The partner service: keeps each callback's body, answers 202. */
const received: { token: string; task: string; input: unknown }[] = [];
let server: Server;
let url: string;
const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
let engine: LocalEngine;
let deps: ApiDeps;

async function nextCallback(seen: number) {
  while (received.length <= seen) await new Promise((resolve) => setTimeout(resolve, 5));
  return received[seen];
}

/** Lets the engine run what is ready (handlers, promise chains) at the fake clock's current time. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push(JSON.parse(body));
      response.writeHead(202, { 'content-type': 'application/json' }).end('{"queued":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/partner`;
  const { definition, diagnostics } = loadDefinitionText(`workflow:
  name: partner
  services:
    partner: { url: "${url}" }
  tasks:
    - { name: ask, type: callback, via: http, service: partner, timeout: 1h, heartbeat: 10s }
    - { name: after, handler: ../handlers/echo.ts, depends_on: [ask] }
`, `${DEFINITIONS}partner.yaml`);
  if (!definition) throw new Error(JSON.stringify(diagnostics));
  engine = new LocalEngine({ clock, plans: [compileWorkflow(definition)] });
  const taskTokens: TaskTokenAnswers = {
    succeed: async (token, output) => engine.sendTaskSuccess(token, output),
    fail: async (token, error, cause) => engine.sendTaskFailure(token, error, cause),
    heartbeat: async (token) => engine.sendTaskHeartbeat(token),
  };
  deps = { taskTokens } as unknown as ApiDeps;
});

afterAll(async () => {
  await engine.close();
  await new Promise((resolve) => server.close(resolve));
});

describe('callback tasks offline', () => {
  it('sends the token to the service and ends with the output posted to /callbacks/{token}', async () => {
    const seen = received.length;
    const { executionArn } = await engine.start('partner', { order: 7 });
    const callback = await nextCallback(seen);
    expect(callback).toMatchObject({ task: 'ask', input: { order: 7 } });

    expect(await answerCallback(deps, callback.token, { output: { approved: true } })).toMatchObject({ statusCode: 200 });
    const done = await engine.wait(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!).ask).toEqual({ approved: true });
    // Answered once: the token opens nothing any more.
    await expect(answerCallback(deps, callback.token, { output: {} })).rejects.toMatchObject({ statusCode: 410 });
  });

  it('{ error, cause } fails the task with them', async () => {
    const seen = received.length;
    const { executionArn } = await engine.start('partner', {});
    const callback = await nextCallback(seen);
    await answerCallback(deps, callback.token, { error: 'Partner.Declined', cause: 'no stock' });
    const done = await engine.wait(executionArn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'Partner.Declined', cause: 'no stock' });
  });

  it('a heartbeat keeps the task waiting; a missed one fails it with States.HeartbeatTimeout', async () => {
    const seen = received.length;
    const { executionArn } = await engine.start('partner', {});
    const callback = await nextCallback(seen);
    const start = clock.now();
    clock.advanceTo(start + 6_000);
    await settle();
    expect(await callbackHeartbeat(deps, callback.token)).toMatchObject({ statusCode: 200 });
    // 14 s after the start, but 8 s after the heartbeat: still waiting.
    clock.advanceTo(start + 14_000);
    await settle();
    expect(engine.describe(executionArn).status).toBe('RUNNING');
    clock.advanceTo(start + 16_500);
    const done = await engine.wait(executionArn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
    await expect(callbackHeartbeat(deps, callback.token)).rejects.toMatchObject({ statusCode: 410 });
  });

  it('times out at the task timeout although heartbeats keep coming', async () => {
    const seen = received.length;
    const { executionArn } = await engine.start('partner', {});
    const callback = await nextCallback(seen);
    const start = clock.now();
    for (let t = 8_000; t < 3_600_000; t += 8_000) {
      clock.advanceTo(start + t);
      await callbackHeartbeat(deps, callback.token);
    }
    clock.advanceTo(start + 3_600_000);
    const done = await engine.wait(executionArn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
  });

  it('an unknown token is 404, a malformed answer 400', async () => {
    await expect(answerCallback(deps, 'not-a-token', { output: 1 })).rejects.toMatchObject({ statusCode: 404 });
    await expect(answerCallback(deps, 'not-a-token', { outcome: 1 })).rejects.toMatchObject({ statusCode: 400 });
  });
});
