import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WaitRequest } from '../../../core/contracts/coordinator.ts';
import { NonRetriableError } from '../../../core/errors.ts';
import { DynamoDbCoordinatorStore } from '../../../functions/coordinator/dynamodb-coordinator-store.ts';
import { createCoordinator } from '../../../functions/coordinator/handler.ts';
import type { TaskTokens } from '../../../functions/coordinator/task-tokens.ts';
import { countingDocumentClient, createExecutionsTable, startDynalite, type LocalDynamo } from '../../support/dynalite.ts';

const EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:flow:e1';

/** Task tokens that record what was sent, and can stand for Step Functions running the released tasks. */
class RecordingTokens implements TaskTokens {
  readonly sent: { token: string; output: unknown }[] = [];
  onSend?: (token: string) => void;

  async succeed(token: string, output: string): Promise<'sent' | 'gone'> {
    if (this.sent.some((s) => s.token === token)) return 'gone';
    this.sent.push({ token, output: JSON.parse(output) });
    this.onSend?.(token);
    return 'sent';
  }
}

const quiet = () => {};
const waitFor = (task: string, needs: string[], rank: number, extra: Partial<WaitRequest> = {}) =>
  ({ action: 'wait', workflow: 'flow', execution: EXECUTION, task, needs, rank, token: `token-${task}`, ...extra });
const doneWith = (task: string, output: Record<string, unknown>) => ({ action: 'done', workflow: 'flow', execution: EXECUTION, task, keys: [task], output });

describe('coordinator, on DynamoDB (dynalite)', () => {
  let dynamo: LocalDynamo;
  let store: DynamoDbCoordinatorStore;
  let tokens: RecordingTokens;
  let coordinator: ReturnType<typeof createCoordinator>;

  beforeAll(async () => {
    dynamo = await startDynalite();
  });
  afterAll(async () => {
    await dynamo.close();
  });
  beforeEach(async () => {
    store = new DynamoDbCoordinatorStore({ client: countingDocumentClient(dynamo.endpoint).client, tableName: await createExecutionsTable(dynamo.endpoint) });
    tokens = new RecordingTokens();
    coordinator = createCoordinator({ store, tokens, logger: quiet, backoff: async () => {} });
  });

  it('releases a task with the merged outputs of what it needs, once they are all reported', async () => {
    // GIVEN the N shape's c, which needs a and b
    expect(await coordinator(waitFor('a', [], 0))).toEqual({ released: ['a'] });
    expect(await coordinator(waitFor('b', [], 1))).toEqual({ released: ['b'] });
    expect(await coordinator(waitFor('c', ['a', 'b'], 2))).toEqual({ released: [] });
    // WHEN a and b report (their branch outputs: what they needed, and their own result)
    expect(await coordinator(doneWith('a', { a: { rows: 3 } }))).toEqual({ released: [] });
    expect(await coordinator(doneWith('b', { b: 'B' }))).toEqual({ released: ['c'] });
    // THEN c's gate opens with both results
    expect(tokens.sent).toEqual([
      { token: 'token-a', output: {} },
      { token: 'token-b', output: {} },
      { token: 'token-c', output: { a: { rows: 3 }, b: 'B' } },
    ]);
  });

  it('delivers again a release whose SendTaskSuccess failed, when the call is retried', async () => {
    let fail = true;
    const flaky: TaskTokens = {
      succeed: async (token, output) => {
        if (fail) throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
        return tokens.succeed(token, output);
      },
    };
    const shaky = createCoordinator({ store, tokens: flaky, logger: quiet, backoff: async () => {} });
    await expect(shaky(waitFor('a', [], 0))).rejects.toThrow('throttled');
    fail = false;
    // Step Functions retries the gate: a new invocation (and token) for the same task
    expect(await shaky(waitFor('a', [], 0, { token: 'token-a-2' }))).toEqual({ released: ['a'] });
    expect(tokens.sent).toEqual([{ token: 'token-a-2', output: {} }]);
  });

  it('refuses a malformed request without retry', async () => {
    await expect(coordinator({ action: 'wait', task: 'a' })).rejects.toBeInstanceOf(NonRetriableError);
  });

  it('releases every task exactly once, after its dependencies, never more than the limit at once, under concurrent calls', async () => {
    // GIVEN 24 tasks, each needing up to two earlier ones, at most 3 at once, every gate registering at the same time
    const needs = new Map(Array.from({ length: 24 }, (_, i) => [`t${i}`, i < 3 ? [] : [`t${i - 3}`, `t${Math.floor(i / 2)}`].filter((n, k, all) => all.indexOf(n) === k && n !== `t${i}`)]));
    const finished: string[] = [];
    let running = 0;
    let most = 0;
    const reports: Promise<unknown>[] = [];
    tokens.onSend = (token) => {
      const task = token.replace('token-', '');
      for (const need of needs.get(task)!) expect(finished).toContain(need);
      most = Math.max(most, ++running);
      // The released task runs, then reports, while other calls go on.
      reports.push(new Promise((resolve) => setTimeout(resolve, Math.random() * 20)).then(() => {
        running--;
        finished.push(task);
        return coordinator(doneWith(task, { [task]: task }));
      }));
    };
    await Promise.all([...needs].map(([task, n], rank) => coordinator(waitFor(task, n, rank, { limit: 3 }))));
    while (finished.length < needs.size) await Promise.all(reports);
    expect(tokens.sent.map((s) => s.token).sort()).toEqual([...needs.keys()].map((t) => `token-${t}`).sort());
    expect(most).toBeLessThanOrEqual(3);
    // Each release carries the results of everything upstream of the task.
    const last = tokens.sent.find((s) => s.token === 'token-t23')!.output as Record<string, unknown>;
    for (const need of needs.get('t23')!) expect(last[need]).toBe(need);
  });
});
