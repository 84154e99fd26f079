import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ListQueuesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startDevStack, type DevStack } from '../../../local/dev-stack.ts';

const definitionsDir = fileURLToPath(new URL('../fixtures/pool-definitions', import.meta.url));
const stacks: DevStack[] = [];
afterEach(async () => {
  for (const stack of stacks.splice(0)) await stack.stop();
});

describe('pools in the dev stack', () => {
  it('runs a workflow whose tasks are pool jobs, and serves the lanes\' queues on the one AWS endpoint', async () => {
    const lines: string[] = [];
    const dataDir = mkdtempSync(join(tmpdir(), 'stepflow-pools-'));
    const stack = await startDevStack({ definitionsDir, dataDir, port: 0, servicesPort: 0, retryIntervalMs: 0, log: (line) => void lines.push(line) });
    stacks.push(stack);
    const log = join(dataDir, 'runs.log');

    expect(lines.filter((l) => l.startsWith('✖'))).toEqual([]);
    const { executionArn } = await stack.engine.start('pooled', { id: 'x', log });
    const done = await stack.engine.wait(executionArn);

    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ shrink_one: { id: 'x' }, shrink_two: { id: 'x' } });
    // Each task ran once, in a worker process of its own (not the stack's).
    const runs = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { pid: number });
    expect(runs).toHaveLength(2);
    expect(runs.every((r) => r.pid !== process.pid)).toBe(true);

    const sqs = new SQSClient({ endpoint: stack.awsUrl, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const { QueueUrls = [] } = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'shrink' }));
    expect(QueueUrls.map((u) => u.split('/').pop()).sort()).toEqual(['shrink-high', 'shrink-high-dlq', 'shrink-normal', 'shrink-normal-dlq']);
    sqs.destroy();
  });

  it('keeps jobs queued while the stack is down and runs them at its next start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'stepflow-pools-'));
    const options = { definitionsDir, dataDir, port: 0, servicesPort: 0, retryIntervalMs: 0, log: () => undefined };
    const first = await startDevStack(options);
    stacks.push(first);
    const log = join(dataDir, 'runs.log');
    // Held: the job is queued but no worker takes it before the stack stops.
    first.pools.get('shrink')!.pause();
    const sqs = new SQSClient({ endpoint: first.awsUrl, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await sqs.send(new SendMessageCommand({
      QueueUrl: first.pools.get('shrink')!.queues.normal.url,
      MessageBody: JSON.stringify({ pool: 'shrink', lane: 'normal', jobId: 'kept', payload: { input: { id: 'kept', log } } }),
    }));
    sqs.destroy();
    await first.stop();
    stacks.splice(0);
    expect(existsSync(log)).toBe(false);

    const second = await startDevStack(options);
    stacks.push(second);
    await vi.waitFor(() => expect(existsSync(log) && readFileSync(log, 'utf8')).toContain('"id":"kept"'), { timeout: 30_000, interval: 100 });
  });
});
