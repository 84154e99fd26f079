import { resolve } from 'node:path';
import { simulatedMakespan, successPath } from '../core/compiler/analysis.ts';
import { compileWorkflow } from '../core/compiler/compile.ts';
import { listScheduleMakespan, ranksByRemainingPath } from '../core/compiler/list-schedule.ts';
import type { WorkflowPlan } from '../core/compiler/plan.ts';
import type { TaskDefinition, WorkflowDefinition } from '../core/definition/model.ts';
import { DEFAULT_BACKOFF } from '../core/definition/model.ts';
import { definitionOfDag, randomDags, type RandomDag } from './random-dags.ts';

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
  /** Makespan of the compiled state machine under the same durations (given to the compiler as estimates). */
  readonly compiled: number;
  /** How the compiler chose to run it. */
  readonly strategy?: string;
  /** compiled ÷ criticalPath; 1.0 is ideal. */
  readonly ratio: number;
}

/** How the compiled state machines of random DAGs compare with the ideal. */
export interface RandomDagFigures {
  readonly graphs: number;
  /** Compiled with engine.dag auto (the default). */
  readonly auto: RatioFigures;
  /** Compiled with engine.dag nested: Parallel and Map states only. */
  readonly nested: RatioFigures;
  /** Share of graphs auto compiled gated. */
  readonly gatedShare: number;
  /** For those: transitions per execution, gated minus nested, mean and most. */
  readonly extraTransitionsGated: { readonly mean: number; readonly max: number; readonly meanPerTask: number };
}

export interface RatioFigures {
  /** Simulated makespan of the compiled ASL ÷ the ideal (critical path; list scheduling under a cap). */
  readonly mean: number;
  readonly worst: number;
  /** The same for the graphs without a cap, and for the capped third. */
  readonly uncapped: { readonly mean: number; readonly worst: number };
  readonly capped: { readonly mean: number; readonly worst: number };
}

/** Compiled structure's simulated makespan ÷ the ideal, for several DAG shapes and 2 × 120 random DAGs. */
export async function makespanBench(): Promise<{ shapes: MakespanFigure[]; randomUnit: RandomDagFigures; randomDurations: RandomDagFigures }> {
  return {
    shapes: shapesBench(),
    randomUnit: randomBench(randomDags(120, { seed: 7, minTasks: 6, maxTasks: 60, durations: 'unit', capEvery: 3 })),
    randomDurations: randomBench(randomDags(120, { seed: 11, minTasks: 6, maxTasks: 60, durations: 'random', capEvery: 3 })),
  };
}

function randomBench(dags: readonly RandomDag[]): RandomDagFigures {
  const auto: { ratio: number; capped: boolean }[] = [];
  const nested: { ratio: number; capped: boolean }[] = [];
  const extra: { transitions: number; tasks: number }[] = [];
  for (const dag of dags) {
    const seconds = new Map(dag.tasks.map((t) => [t.name, t.seconds]));
    const ideal = idealMakespan(dag);
    const run = (plan: WorkflowPlan) => simulatedMakespan(plan.asl, (state) => seconds.get(plan.taskStates[state].task)!) / ideal;
    const chosen = compileWorkflow(definitionOfDag(dag, 'auto'), { projectRoot: resolve('.') });
    const nestedPlan = chosen.strategy?.kind === 'nested' ? chosen : compileWorkflow(definitionOfDag(dag, 'nested'), { projectRoot: resolve('.') });
    auto.push({ ratio: run(chosen), capped: dag.cap !== undefined });
    nested.push({ ratio: run(nestedPlan), capped: dag.cap !== undefined });
    if (chosen.strategy?.kind === 'gated') {
      extra.push({ transitions: successPath(chosen.asl).transitions - successPath(nestedPlan.asl).transitions, tasks: dag.tasks.length });
    }
  }
  const mean = (xs: readonly number[]) => (xs.length ? round(xs.reduce((a, b) => a + b, 0) / xs.length) : 0);
  const summary = (ratios: number[]) => ({ mean: mean(ratios), worst: round(Math.max(0, ...ratios)) });
  const figures = (rows: { ratio: number; capped: boolean }[]): RatioFigures => ({
    ...summary(rows.map((r) => r.ratio)),
    uncapped: summary(rows.filter((r) => !r.capped).map((r) => r.ratio)),
    capped: summary(rows.filter((r) => r.capped).map((r) => r.ratio)),
  });
  return {
    graphs: dags.length,
    auto: figures(auto),
    nested: figures(nested),
    gatedShare: round(extra.length / dags.length),
    extraTransitionsGated: {
      mean: mean(extra.map((e) => e.transitions)),
      max: Math.max(0, ...extra.map((e) => e.transitions)),
      meanPerTask: mean(extra.map((e) => e.transitions / e.tasks)),
    },
  };
}

/** The critical path, or under a cap the makespan of list scheduling by the longest path ahead. */
export function idealMakespan(dag: RandomDag): number {
  const tasks = dag.tasks.map((t) => ({ task: t.name, needs: t.deps, duration: t.seconds }));
  const ranks = ranksByRemainingPath(tasks);
  return listScheduleMakespan(tasks.map((t) => ({ ...t, rank: ranks.get(t.task)! })), dag.cap ?? Infinity);
}

const round = (x: number) => Math.round(x * 1000) / 1000;

function shapesBench(): MakespanFigure[] {
  return Object.entries(SHAPES).map(([name, { seriesParallel, shape }]) => {
    const plan = compileWorkflow(definitionOf(name, shape), { projectRoot: resolve('.') });
    const duration = (state: string) => shape[plan.taskStates[state].task][1];
    const compiled = simulatedMakespan(plan.asl, duration);
    const criticalPath = longestPath(shape);
    return { shape: name, seriesParallel, criticalPath, compiled, strategy: plan.strategy?.kind, ratio: round(compiled / criticalPath) };
  });
}

function definitionOf(name: string, shape: Shape): WorkflowDefinition {
  const tasks: TaskDefinition[] = Object.entries(shape).map(([task, [deps, seconds]]) => ({
    name: task,
    estimateSeconds: seconds,
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
