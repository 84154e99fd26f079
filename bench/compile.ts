import { resolve } from 'node:path';
import { compileWorkflow } from '../core/compiler/compile.ts';
import type { DagStrategy } from '../core/definition/model.ts';
import { definitionOfDag, randomDags } from './random-dags.ts';

export interface CompileFigure {
  readonly tasks: number;
  readonly durations: 'unit' | 'random';
  readonly capped: boolean;
  readonly strategy: DagStrategy;
  /** Median and slowest compile (definition → plan, ASL and checks included) over the graphs, in ms. */
  readonly medianMs: number;
  readonly slowestMs: number;
}

const SIZES = [50, 100, 200];
const GRAPHS_PER_SIZE = 5;

/** Time to compile random DAGs of 50, 100 and 200 tasks, uncapped and capped, as auto and nested compile them. */
export async function compileBench(): Promise<CompileFigure[]> {
  const figures: CompileFigure[] = [];
  for (const tasks of SIZES) {
    for (const durations of ['unit', 'random'] as const) {
      for (const capped of [false, true]) {
        const dags = randomDags(GRAPHS_PER_SIZE, { seed: tasks + (capped ? 1 : 0), minTasks: tasks, maxTasks: tasks, durations, capEvery: capped ? 1 : undefined });
        for (const strategy of ['auto', 'nested'] as const) {
          const times = dags.map((dag) => {
            const definition = definitionOfDag(dag, strategy);
            const started = performance.now();
            compileWorkflow(definition, { projectRoot: resolve('.') });
            return performance.now() - started;
          }).sort((a, b) => a - b);
          figures.push({
            tasks,
            durations,
            capped,
            strategy,
            medianMs: Math.round(times[Math.floor(times.length / 2)]),
            slowestMs: Math.round(times[times.length - 1]),
          });
        }
      }
    }
  }
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await compileBench(), null, 2));
