import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { EXECUTION_STATUSES } from '../../core/contracts/execution-status.ts';
import { killStackProcesses, startStackProcess, type StackProcess } from '../support/stack-process.ts';

const definitionsDir = fileURLToPath(new URL('./fixtures/crash/definitions', import.meta.url));
const WORKFLOW = 'counted';

/** A small seeded generator (mulberry32), so a failing run can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What `counted` gives for input `{ n }`: each task's result depends on the input only. */
function expectedOutput(n: number) {
  return {
    a: { task: 'a', n, upstream: [] },
    b: { task: 'b', n, upstream: ['a'] },
    c: { task: 'c', n, upstream: ['a'] },
    d: { task: 'd', n, upstream: ['a', 'b', 'c'] },
  };
}

async function api(url: string, init?: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, init);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Every page of a listing. */
async function listAll(base: string, query = ''): Promise<{ executionId: string; status: string }[]> {
  const items: { executionId: string; status: string }[] = [];
  let token: string | undefined;
  do {
    const params = new URLSearchParams(query);
    params.set('limit', '100');
    if (token) params.set('nextToken', token);
    const { body } = await api(`${base}/workflows/${WORKFLOW}/executions?${params}`);
    items.push(...(body.items as { executionId: string; status: string }[]));
    token = body.nextToken as string | undefined;
  } while (token);
  return items;
}

/**
 * Starts `total` executions over HTTP in waves, stopping the stack with `signal` at random moments
 * (`stops` times) and starting it again on the same data; a start whose answer was lost is sent again
 * with the same name and input (idempotent). Then lets everything finish on one last stack.
 */
async function runThroughStops(signal: 'SIGKILL' | 'SIGINT', options: { total: number; stops: number; seed: number; closeGraceMs?: number }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'stepflow-crash-'));
  const sideEffects = join(dataDir, 'side-effects.log');
  writeFileSync(sideEffects, '');
  const next = random(options.seed);
  const start = () => startStackProcess({ definitionsDir, dataDir: join(dataDir, 'data'), env: { STEPFLOW_SIDE_EFFECTS: sideEffects }, closeGraceMs: options.closeGraceMs });
  const names = Array.from({ length: options.total }, (_, i) => `run-${i}`);
  const accepted = new Set<string>();
  const stoppedPids = new Set<number>();
  const perWave = Math.ceil(options.total / options.stops);
  let sent = 0;
  const submit = (stack: StackProcess, name: string) =>
    fetch(`${stack.url}/workflows/${WORKFLOW}/executions`, { method: 'POST', body: JSON.stringify({ name, input: { n: Number(name.slice(4)) } }) }).then(
      async (response) => {
        await response.arrayBuffer();
        if (response.status === 202 || response.status === 200) accepted.add(name);
        else if (response.status !== 503) throw new Error(`start ${name}: ${response.status}`);
      },
      () => undefined, // the stack went away mid-request: sent again on the next stack
    );

  for (let stop = 0; stop < options.stops; stop++) {
    const stack = await start();
    const wave = [...names.slice(0, sent).filter((n) => !accepted.has(n)), ...names.slice(sent, sent + perWave)];
    sent = Math.min(options.total, sent + perWave);
    const submissions = wave.map((name) => submit(stack, name));
    await new Promise((resolve) => setTimeout(resolve, 100 + next() * 900));
    await stack.stop(signal);
    stoppedPids.add(stack.pid);
    await Promise.all(submissions);
  }

  const last = await start();
  await Promise.all(names.filter((n) => !accepted.has(n)).map((name) => submit(last, name)));
  expect(accepted.size).toBe(options.total);
  // Every execution ends: none stays RUNNING with nothing running it.
  const deadline = Date.now() + 90_000;
  while ((await listAll(last.url, 'status=RUNNING')).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  return { last, sideEffects, stoppedPids, names };
}

/** GET, the whole listing and every status filter, each as `name → status`. */
async function views(url: string, names: readonly string[]) {
  const listed = Object.fromEntries((await listAll(url)).map((i) => [i.executionId, i.status]));
  const filtered: Record<string, string> = {};
  for (const status of EXECUTION_STATUSES) for (const item of await listAll(url, `status=${status}`)) filtered[item.executionId] = status;
  const got: Record<string, string> = {};
  const outputs: Record<string, unknown> = {};
  for (const name of names) {
    const { status, body } = await api(`${url}/workflows/${WORKFLOW}/executions/${name}`);
    got[name] = status === 200 ? (body.status as string) : `HTTP ${status}`;
    outputs[name] = body.output;
  }
  return { listed, filtered, got, outputs };
}

/** Runs of each task per execution, from the side-effect file: `<execution>/<task>` → pids that ran it. */
function taskRuns(file: string): Map<string, number[]> {
  const runs = new Map<string, number[]>();
  for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const [pid, execution, task] = line.split(' ');
    const key = `${execution.split(':').pop()}/${task}`;
    runs.set(key, [...(runs.get(key) ?? []), Number(pid)]);
  }
  return runs;
}

afterAll(killStackProcesses);

// The two run side by side: each spends most of its time waiting for its child stack to start.
describe.concurrent('offline executions across crashes', () => {
  it('finishes every execution once as it would have, through kill -9 at random moments, with GET, listings and filters agreeing', async () => {
    // GIVEN 240 executions of a four-task workflow started over HTTP while the stack is killed 20 times
    const { last, sideEffects, stoppedPids, names } = await runThroughStops('SIGKILL', { total: 240, stops: 20, seed: 20_251_202 });
    try {
      // THEN every execution SUCCEEDED with its output, and every view of the store says so
      const { listed, filtered, got, outputs } = await views(last.url, names);
      const succeeded = Object.fromEntries(names.map((n) => [n, 'SUCCEEDED']));
      expect(got).toEqual(succeeded);
      expect(listed).toEqual(succeeded);
      expect(filtered).toEqual(succeeded);
      for (const name of names) expect(outputs[name]).toEqual(expectedOutput(Number(name.slice(4))));

      // AND every task ran, and ran again only after a process running it was killed
      const runs = taskRuns(sideEffects);
      expect(runs.size).toBe(names.length * 4);
      const repeated = [...runs.values()].filter((pids) => pids.length > 1);
      for (const pids of repeated) {
        expect(pids.slice(0, -1).every((pid) => stoppedPids.has(pid))).toBe(true);
        expect(new Set(pids).size).toBe(pids.length); // never twice in one process
      }
      console.info(`crash test (kill -9): ${stoppedPids.size} kills, ${names.length} executions, ${repeated.length} task runs repeated after a kill`);
    } finally {
      await last.stop('SIGINT');
    }
  }, 180_000);

  it('runs no task twice when the stack is stopped with Ctrl-C (SIGINT) under load', async () => {
    // GIVEN 80 executions started while the stack is stopped in order 5 times
    const { last, sideEffects, stoppedPids, names } = await runThroughStops('SIGINT', { total: 80, stops: 5, seed: 7, closeGraceMs: 10_000 });
    try {
      // THEN every execution SUCCEEDED with its output, in every view
      const { listed, filtered, got, outputs } = await views(last.url, names);
      const succeeded = Object.fromEntries(names.map((n) => [n, 'SUCCEEDED']));
      expect({ got, listed, filtered }).toEqual({ got: succeeded, listed: succeeded, filtered: succeeded });
      for (const name of names) expect(outputs[name]).toEqual(expectedOutput(Number(name.slice(4))));
      // AND each task ran exactly once: stopping let the running tasks end and journaled them
      const runs = taskRuns(sideEffects);
      expect(runs.size).toBe(names.length * 4);
      expect([...runs.entries()].filter(([, pids]) => pids.length > 1)).toEqual([]);
      expect(stoppedPids.size).toBe(5);
    } finally {
      await last.stop('SIGINT');
    }
  }, 120_000);
});
