import { describe, expect, it } from 'vitest';
import type { DoneRequest, WaitRequest } from '../../../core/contracts/coordinator.ts';
import { NO_GATES, registerDone, registerWait, type Gates } from '../../../functions/coordinator/gates.ts';

const EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:n_shape:e1';
const wait = (task: string, needs: string[], rank: number, limit?: number): WaitRequest =>
  ({ action: 'wait', workflow: 'n_shape', execution: EXECUTION, task, needs, rank, token: `token-${task}`, ...(limit ? { limit } : {}) });
const done = (task: string): DoneRequest => ({ action: 'done', workflow: 'n_shape', execution: EXECUTION, task, keys: [task], output: { [task]: task.toUpperCase() } });

/** Applies the requests in order; the tasks each one released. */
function run(requests: (WaitRequest | DoneRequest)[], start: Gates = NO_GATES): { gates: Gates; released: string[][] } {
  let gates = start;
  const released: string[][] = [];
  for (const request of requests) {
    const next = request.action === 'wait' ? registerWait(gates, request) : registerDone(gates, request);
    gates = next.gates;
    released.push(next.releases.map((r) => r.task));
  }
  return { gates, released };
}

describe('gates', () => {
  it('releases each task once what it needs is done, in whichever order gates and reports arrive', () => {
    // GIVEN the N shape: c needs a and b, d needs b; c registers before a is done, d after b is
    const { released, gates } = run([wait('a', [], 0), wait('c', ['a', 'b'], 3), wait('b', [], 1), done('a'), done('b'), wait('d', ['b'], 2), done('c'), done('d')]);
    expect(released).toEqual([['a'], [], ['b'], [], ['c'], ['d'], [], []]);
    expect(gates).toMatchObject({ done: ['a', 'b', 'c', 'd'], running: {}, waiting: {} });
  });

  it('keeps at most `limit` running, releasing the lowest rank first', () => {
    const { released } = run([wait('x', [], 2, 1), wait('y', [], 0, 1), wait('z', [], 1, 1), done('x'), done('y'), done('z')]);
    // x is released before y and z register; then y (rank 0) before z
    expect(released).toEqual([['x'], [], [], ['y'], ['z'], []]);
  });

  it('ignores a repeated report, and releases a running task again for a repeated gate', () => {
    const first = run([wait('a', [], 0), done('a')]);
    expect(registerDone(first.gates, done('a')).releases).toEqual([]);
    const running = run([wait('a', [], 0)]);
    expect(registerWait(running.gates, wait('a', [], 0)).releases).toEqual([{ task: 'a', needs: [] }]);
  });
});
