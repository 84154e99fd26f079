import { resolve } from 'node:path';
import { DEFAULT_BACKOFF, type DagStrategy, type TaskDefinition, type WorkflowDefinition } from '../core/definition/model.ts';

/** A random DAG: task → its dependencies and its duration in seconds. */
export interface RandomDag {
  readonly name: string;
  readonly tasks: readonly { readonly name: string; readonly deps: readonly string[]; readonly seconds: number }[];
  /** max_concurrent_tasks, for a third of them. */
  readonly cap?: number;
}

/** mulberry32: a small seeded generator, so every run measures the same graphs. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` DAGs of `minTasks`–`maxTasks` tasks: each task needs 0–3 earlier tasks, mostly recent ones
 * (so graphs have depth as well as width), and lasts 1 s (`unit`) or 1–10 s.
 */
export function randomDags(count: number, options: { seed: number; minTasks: number; maxTasks: number; durations: 'unit' | 'random'; capEvery?: number }): RandomDag[] {
  const random = seededRandom(options.seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  return Array.from({ length: count }, (_, g) => {
    const n = int(options.minTasks, options.maxTasks);
    const tasks = Array.from({ length: n }, (_, i) => {
      const deps = new Set<string>();
      const wanted = i === 0 ? 0 : int(0, Math.min(3, i));
      while (deps.size < wanted) deps.add(`t${Math.max(0, i - 1 - Math.floor(random() * random() * i))}`);
      return { name: `t${i}`, deps: [...deps], seconds: options.durations === 'unit' ? 1 : int(1, 10) };
    });
    const capped = options.capEvery !== undefined && g % options.capEvery === 0;
    return { name: `dag_${g}`, tasks, ...(capped ? { cap: int(2, 4) } : {}) };
  });
}

/** The workflow definition of a random DAG: every task an echo, its duration given as its estimate. */
export function definitionOfDag(dag: RandomDag, strategy: DagStrategy = 'auto', estimates = true): WorkflowDefinition {
  const tasks: TaskDefinition[] = dag.tasks.map((t) => ({
    name: t.name,
    type: 'function',
    handler: { file: resolve('test/fixtures/handlers/echo.ts'), exportName: 'handler' },
    retries: 0,
    backoff: DEFAULT_BACKOFF,
    dependsOn: t.deps,
    onFailure: { kind: 'fail' },
    ...(estimates ? { estimateSeconds: t.seconds } : {}),
  }));
  return {
    name: dag.name,
    file: resolve(`bench/${dag.name}.yaml`),
    projectRoot: resolve('.'),
    engine: { type: 'parallel', retryAttempts: 0, mode: 'standard', dag: strategy, ...(dag.cap ? { maxConcurrentTasks: dag.cap } : {}) },
    services: {},
    tasks,
    triggers: [],
    scheduling: { cronEnabled: true, eventEnabled: true },
  };
}
