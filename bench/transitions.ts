import { successPath } from '../core/compiler/analysis.ts';
import { loadProject } from '../project/load-project.ts';
import { loadDefinition } from '../project/definition-files.ts';

export interface TransitionsFigure {
  readonly workflow: string;
  readonly tasks: number;
  readonly parallelStates: number;
  /** Billed transitions on the success path of the compiled machine. */
  readonly compiled: number;
  /**
   * A naive compilation: one Task state per task in sequence, plus a Pass state per data hand-over, a
   * hand-over being a dependency edge (at least one between consecutive tasks of the sequence).
   */
  readonly naive: number;
  /**
   * The compiler's bound: tasks + Parallel and Map states + 1, plus for each Map its two Pass states and a
   * Choice per item (met when no other Pass or Choice state is on the success path).
   */
  readonly bound: number;
  readonly withinBound: boolean;
}

/** Billed transitions per example in definitions/, compiled versus naive. */
export async function transitionsBench(dir = 'definitions'): Promise<TransitionsFigure[]> {
  const { plans } = loadProject(dir);
  return plans.map((plan) => {
    const path = successPath(plan.asl);
    const maps = JSON.stringify(plan.asl).split('"Type":"Map"').length - 1;
    const bound = path.tasks + path.parallels + 1 + path.iterations + 2 * maps;
    return {
      workflow: plan.name,
      tasks: path.tasks,
      parallelStates: path.parallels,
      compiled: path.transitions,
      naive: path.tasks + Math.max(dependencyEdges(plan.file), path.tasks - 1),
      bound,
      withinBound: path.transitions <= bound,
    };
  });
}

function dependencyEdges(file: string): number {
  const { definition } = loadDefinition(file);
  return definition ? definition.tasks.reduce((sum, t) => sum + t.dependsOn.length, 0) : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await transitionsBench(), null, 2));
