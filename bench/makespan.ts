import { resolve } from 'node:path';
import { simulatedMakespan } from '../core/compiler/analysis.ts';
import { compileWorkflow } from '../core/compiler/compile.ts';
import type { TaskDefinition, WorkflowDefinition } from '../core/definition/model.ts';
import { DEFAULT_BACKOFF } from '../core/definition/model.ts';

/** A DAG shape: task → [dependencies, duration in seconds]. */
type Shape = Record<string, [deps: string[], seconds: number]>;

const SHAPES: Record<string, { seriesParallel: boolean; shape: Shape }> = {
  chain: { seriesParallel: true, shape: { a: [[], 3], b: [['a'], 5], c: [['b'], 2], d: [['c'], 4] } },
  diamond: { seriesParallel: true, shape: { a: [[], 2], b: [['a'], 7], c: [['a'], 3], d: [['b', 'c'], 1] } },
  wideFanOut: {
    seriesParallel: true,
    shape: { src: [[], 1], ...Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`w${i}`, [['src'], 1 + i] as [string[], number]])), sink: [['w0', 'w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7'], 2] },
  },
  nestedForkJoin: {
    seriesParallel: true,
    shape: { a: [[], 1], b: [['a'], 4], c: [['b'], 2], d: [['a'], 1], e: [['d'], 1], f: [['d'], 6], g: [['e', 'f'], 1], h: [['c', 'g'], 2] },
  },
  independentChains: { seriesParallel: true, shape: { a1: [[], 3], a2: [['a1'], 3], b1: [[], 1], b2: [['b1'], 9], c1: [[], 5] } },
  nShape: { seriesParallel: false, shape: { a: [[], 4], b: [[], 1], c: [['a', 'b'], 1], d: [['b'], 6] } },
  bridge: {
    seriesParallel: false,
    shape: { s: [[], 1], x: [['s'], 2], y: [['s'], 5], z: [['x'], 3], w: [['x', 'y'], 1], t: [['z', 'w'], 1] },
  },
};

export interface MakespanFigure {
  readonly shape: string;
  readonly seriesParallel: boolean;
  /** Longest path through the dependency graph (the best any scheduler can do). */
  readonly criticalPath: number;
  /** Makespan of the compiled state machine under the same durations. */
  readonly compiled: number;
  /** compiled ÷ criticalPath; 1.0 is ideal. */
  readonly ratio: number;
}

/** Compiled structure's simulated makespan ÷ the ideal critical path, for several DAG shapes. */
export async function makespanBench(): Promise<MakespanFigure[]> {
  return Object.entries(SHAPES).map(([name, { seriesParallel, shape }]) => {
    const plan = compileWorkflow(definitionOf(name, shape), { projectRoot: resolve('.') });
    const duration = (state: string) => shape[plan.taskStates[state].task][1];
    const compiled = simulatedMakespan(plan.asl, duration);
    const criticalPath = longestPath(shape);
    return { shape: name, seriesParallel, criticalPath, compiled, ratio: Math.round((compiled / criticalPath) * 1000) / 1000 };
  });
}

function definitionOf(name: string, shape: Shape): WorkflowDefinition {
  const tasks: TaskDefinition[] = Object.entries(shape).map(([task, [deps]]) => ({
    name: task,
    type: 'function',
    handler: { file: resolve('test/fixtures/handlers/echo.ts'), exportName: 'handler' },
    retries: 0,
    backoff: DEFAULT_BACKOFF,
    dependsOn: deps,
    onFailure: { kind: 'fail' },
  }));
  return { name, file: resolve(`bench/${name}.yaml`), projectRoot: resolve('.'), engine: { type: 'parallel', retryAttempts: 0, mode: 'standard' }, services: {}, tasks, triggers: [], scheduling: { cronEnabled: true, eventEnabled: true } };
}

function longestPath(shape: Shape): number {
  const finish = new Map<string, number>();
  const at = (task: string): number => {
    if (!finish.has(task)) finish.set(task, Math.max(0, ...shape[task][0].map(at)) + shape[task][1]);
    return finish.get(task)!;
  };
  return Math.max(...Object.keys(shape).map(at));
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await makespanBench(), null, 2));
