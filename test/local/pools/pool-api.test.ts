import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDevStack, type DevStack } from '../../../local/dev-stack.ts';
import { ProcessPoolManager } from '../../../client/index.ts';

const definitionsDir = fileURLToPath(new URL('../fixtures/pool-definitions', import.meta.url));
let stack: DevStack;
let dataDir: string;
let seq = 0;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'stepflow-pool-api-'));
  stack = await startDevStack({ definitionsDir, dataDir, port: 0, servicesPort: 0, retryIntervalMs: 0, log: () => undefined });
});
afterAll(async () => {
  await stack?.stop();
});

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${stack.url}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A job's payload as the fixture handler reads it, and the file its runs are written to. */
function job(extra: Record<string, unknown> = {}) {
  const id = `j${++seq}`;
  const log = join(dataDir, `${id}.log`);
  return { id, log, payload: { input: { id, log, ...extra } }, runs: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { start: number }) : []) };
}

const settled = (jobId: string, status = 'succeeded') =>
  vi.waitFor(async () => {
    const { body } = await call('GET', `/pools/shrink/jobs/${jobId}`);
    expect(body.status).toBe(status);
    return body;
  }, { timeout: 30_000, interval: 100 });

describe('pool API offline', () => {
  it('runs a submitted job and reports its record; the same idempotency key is the same job', async () => {
    const j = job();
    const first = await call('POST', '/pools/shrink/jobs', { payload: j.payload, idempotencyKey: j.id });
    expect(first.status).toBe(202);
    const again = await call('POST', '/pools/shrink/jobs', { payload: j.payload, idempotencyKey: j.id });
    expect(again.body).toEqual({ jobId: first.body.jobId, created: false });

    const record = await settled(first.body.jobId as string);
    expect(record).toMatchObject({ jobId: first.body.jobId, status: 'succeeded', attempts: 1, result: { id: j.id }, lane: 'high' });
    expect(j.runs()).toHaveLength(1);
  });

  it('refuses bad input with 4xx and a reason', async () => {
    expect((await call('POST', '/pools/nope/jobs', { payload: 1 })).status).toBe(404);
    const lane = await call('POST', '/pools/shrink/jobs', { payload: 1, priority: 'urgent' });
    expect(lane.status).toBe(400);
    expect(lane.body).toMatchObject({ error: { message: 'pool "shrink" has no lane "urgent"; lanes: high, normal' } });
    expect((await call('POST', '/pools/shrink/jobs', { payload: 1, delay: -1 })).status).toBe(400);
    expect((await call('POST', '/pools/shrink/jobs', { payload: 1, extra: true })).status).toBe(400);
    expect((await call('POST', '/pools/shrink/jobs', {})).status).toBe(400);
    expect((await call('GET', '/pools/shrink/jobs/missing')).status).toBe(404);
    expect((await call('PUT', '/pools/shrink/scale', { maxSize: 2 })).status).toBe(400);
    expect((await call('PUT', '/pools/shrink/scale', { minSize: 5, maxSize: 4 })).status).toBe(400);
  });

  it('holds every job while paused and runs them after resume', async () => {
    expect((await call('POST', '/pools/shrink/pause')).status).toBe(202);
    const jobs = [job(), job(), job()];
    const ids = await Promise.all(jobs.map(async (j) => (await call('POST', '/pools/shrink/jobs', { payload: j.payload, priority: 'normal' })).body.jobId as string));
    await new Promise((r) => setTimeout(r, 2500));
    expect(jobs.flatMap((j) => j.runs())).toEqual([]);
    expect((await call('GET', '/pools/shrink')).body).toMatchObject({ paused: true });

    const resumedAt = Date.now();
    await call('POST', '/pools/shrink/resume');
    for (const id of ids) await settled(id);
    expect(jobs.every((j) => j.runs().length === 1 && j.runs()[0].start >= resumedAt)).toBe(true);
  });

  it('starts a delayed job no earlier than its delay', async () => {
    const j = job();
    const submitted = Date.now();
    const { body } = await call('POST', '/pools/shrink/jobs', { payload: j.payload, delay: 2 });
    await settled(body.jobId as string);
    expect(j.runs()[0].start - submitted).toBeGreaterThanOrEqual(2000);
  });

  it('dead-letters a failing job after max_restarts + 1 attempts, shows it in the DLQ depth, and redrives it', async () => {
    const j = job({ poison: true });
    const { body } = await call('POST', '/pools/shrink/jobs', { payload: j.payload });
    const record = await settled(body.jobId as string, 'dead_lettered');
    expect(record.attempts).toBe(2);
    expect(j.runs()).toHaveLength(2);
    // The redrive policy moves it on its next receive.
    await vi.waitFor(async () => {
      const pool = (await call('GET', '/pools/shrink')).body as { lanes: { name: string; deadLettered: number }[] };
      expect(pool.lanes.find((l) => l.name === 'high')!.deadLettered).toBe(1);
    }, { timeout: 30_000, interval: 200 });

    const redriven = await call('POST', '/pools/shrink/dlq/redrive');
    expect(redriven.body).toMatchObject({ moved: 1 });
    // A fresh set of attempts: it runs max_restarts + 1 times again before it is dead-lettered again.
    await vi.waitFor(() => expect(j.runs().length).toBe(4), { timeout: 30_000, interval: 100 });
    const again = await settled(body.jobId as string, 'dead_lettered');
    expect(again.attempts).toBe(2);
  });

  it('lists pools with their lanes and live workers, and scales the live pool', async () => {
    const listed = await call('GET', '/pools');
    expect((listed.body.pools as { name: string }[]).map((p) => p.name)).toEqual(['shrink']);
    const scaled = await call('PUT', '/pools/shrink/scale', { minSize: 1, maxSize: 6 });
    expect(scaled.status).toBe(202);
    const pool = (await call('GET', '/pools/shrink')).body as { maxSize: number; minSize: number; lanes: { concurrency: number }[]; workers: unknown[] };
    expect(pool).toMatchObject({ minSize: 1, maxSize: 6 });
    expect(pool.lanes.map((l) => l.concurrency)).toEqual([3, 3]);
    await vi.waitFor(async () => expect(((await call('GET', '/pools/shrink')).body.workers as unknown[]).length).toBeGreaterThanOrEqual(1), { timeout: 30_000, interval: 200 });
  });

  it('is driven by the ProcessPoolManager client', async () => {
    const manager = new ProcessPoolManager({ baseUrl: stack.url, pool: 'shrink' });
    const j = job();
    const jobId = await manager.createProcess({ command: j.payload, options: { priority: 'normal', idempotencyKey: `client-${j.id}` } });
    await vi.waitFor(async () => expect((await manager.status(jobId)).status).toBe('succeeded'), { timeout: 30_000, interval: 100 });
    await manager.scale({ maxSize: 8 });
    expect((await manager.list()).lanes.map((l) => l.concurrency)).toEqual([4, 4]);
    await expect(manager.status('missing')).rejects.toMatchObject({ status: 404 });
  });
});
