import type { WorkflowDefinition } from '../definition/model.ts';
import { levelStructure, parallelStructure, sequentialStructure, topologicalOrder, type DependencyGraph, type SerialisedEdge, type Weight } from './graph.ts';
import type { GatedTask } from './emit.ts';
import { limitWidth } from './limit-width.ts';
import { listScheduleMakespan, ranksByRemainingPath, type ScheduledTask } from './list-schedule.ts';
import { makespan, tasksOf, type Structure } from './structure.ts';

/**
 * `auto` gates a workflow when the nested form is predicted to take more than this many times the
 * ideal: 5% is worth about two extra transitions per task.
 */
export const AUTO_GATED_THRESHOLD = 1.05;

export type StrategyKind = 'sequential' | 'nested' | 'gated';

export interface StrategyChoice {
  readonly kind: StrategyKind;
  /** Why this one. */
  readonly reason: string;
  /** The tasks' structure (sequential and nested). */
  readonly structure?: Structure;
  /** The gated tasks, in definition order (gated). */
  readonly gated?: readonly GatedTask[];
  /** max_concurrent_tasks. */
  readonly limit?: number;
  /** Predicted makespan of the chosen form ÷ the ideal, with estimates (or equal weights) as durations. */
  readonly makespanRatio: number;
  /** The same for the nested form, when it was weighed. */
  readonly nestedMakespanRatio?: number;
  /** Waits the nested form adds (empty for the other forms). */
  readonly serialised: readonly SerialisedEdge[];
}

/**
 * The dependency graph the tasks run in: every task but the fallbacks (which run only in place of a
 * failed task), with its dependencies.
 */
export function dependencyGraph(definition: WorkflowDefinition): DependencyGraph {
  const fallbacks = new Set(definition.tasks.flatMap((t) => (t.onFailure.kind === 'fallback' ? [t.onFailure.task] : [])));
  return new Map(definition.tasks.filter((t) => !fallbacks.has(t.name)).map((t) => [t.name, t.dependsOn]));
}

/** Waits the stages add: each task of a stage waits for the last tasks of the stage before that it does not depend on. */
function stageWaits(graph: DependencyGraph, s: Structure): SerialisedEdge[] {
  if (s.kind !== 'series') return [];
  const edges: SerialisedEdge[] = [];
  const ancestors = new Map<string, Set<string>>();
  for (const name of topologicalOrder(graph)) {
    const set = new Set<string>();
    for (const dep of graph.get(name) ?? []) {
      set.add(dep);
      for (const a of ancestors.get(dep) ?? []) set.add(a);
    }
    ancestors.set(name, set);
  }
  for (let i = 1; i < s.steps.length; i++) {
    for (const t of tasksOf(s.steps[i])) {
      for (const before of tasksOf(s.steps[i - 1])) if (!ancestors.get(t)!.has(before)) edges.push({ task: t, waitsFor: before });
    }
  }
  return edges;
}

/**
 * Each task's weight: its `estimate`, else the mean of the estimates given (1 when none is), so
 * tasks without one count as ordinary ones.
 */
export function taskWeight(definition: WorkflowDefinition): Weight {
  const given = definition.tasks.flatMap((t) => (t.estimateSeconds !== undefined ? [t.estimateSeconds] : []));
  const fallback = given.length ? given.reduce((a, b) => a + b, 0) / given.length : 1;
  const weights = new Map(definition.tasks.map((t) => [t.name, t.estimateSeconds ?? fallback]));
  return (task) => weights.get(task) ?? fallback;
}

/**
 * How the workflow runs. Sequential engines run one task at a time. Parallel engines run nested
 * Parallel and Map states (`nested`), or every task behind a gate the coordinator opens (`gated`,
 * exact for any graph and any max_concurrent_tasks, at about two more transitions per task, Standard
 * workflows only); `auto` gates only when the nested form would take over AUTO_GATED_THRESHOLD times
 * the ideal: the critical path, or list scheduling when max_concurrent_tasks caps the width.
 * `gatedRefusedBecause` keeps `auto` nested (the gated form would break an AWS limit).
 */
export function chooseStrategy(definition: WorkflowDefinition, options: { readonly gatedRefusedBecause?: string } = {}): StrategyChoice {
  const graph = dependencyGraph(definition);
  const weight = taskWeight(definition);
  const order = topologicalOrder(graph);
  const limit = definition.engine.maxConcurrentTasks;
  const durations = order.map((task) => ({ task, needs: graph.get(task) ?? [], duration: weight(task) }));
  const ranks = ranksByRemainingPath(durations);
  const scheduled: ScheduledTask[] = durations.map((t) => ({ ...t, rank: ranks.get(t.task)! }));
  const ideal = listScheduleMakespan(scheduled, limit ?? Infinity);
  const ratio = (time: number) => (ideal > 0 ? time / ideal : 1);

  if (definition.engine.type === 'sequential') {
    const structure = sequentialStructure(graph);
    return { kind: 'sequential', reason: 'engine.type is sequential', structure, makespanRatio: ratio(makespan(structure, weight)), serialised: [] };
  }
  const mappable = new Set(definition.tasks.filter((t) => t.onFailure.kind !== 'fallback').map((t) => t.name));
  const { structure: nested, serialised: nestedWaits } = parallelStructure(graph, weight);
  let structure = limit ? limitWidth(nested, limit, weight, (t) => mappable.has(t)) : nested;
  let serialised = nestedWaits;
  if (limit) {
    // Under a cap, stages of dependency depth handed out one after the other may lose less.
    const levels = limitWidth(levelStructure(graph), limit, weight, (t) => mappable.has(t));
    if (makespan(levels, weight) < makespan(structure, weight) - 1e-9) {
      structure = levels;
      serialised = stageWaits(graph, levels);
    }
  }
  const nestedRatio = ratio(makespan(structure, weight));
  const gatedRatio = ratio(listScheduleMakespan(scheduled, limit ?? Infinity));
  const canGate = definition.engine.mode === 'standard' && order.length > 1;
  const dag = definition.engine.dag ?? 'auto';
  const asNested = (reason: string): StrategyChoice => ({ kind: 'nested', reason, structure, limit, makespanRatio: nestedRatio, serialised });
  const asGated = (reason: string): StrategyChoice => ({
    kind: 'gated',
    reason,
    gated: definition.tasks.filter((t) => graph.has(t.name)).map((t) => ({ task: t.name, needs: [...new Set(t.dependsOn)], rank: ranks.get(t.name)! })),
    limit,
    makespanRatio: gatedRatio,
    nestedMakespanRatio: nestedRatio,
    serialised: [],
  });

  if (dag === 'nested') return asNested('engine.dag is nested');
  if (dag === 'gated') return canGate ? asGated('engine.dag is gated') : asNested('a single task needs no gate');
  if (!canGate) return asNested(definition.engine.mode === 'express' ? 'express workflows cannot wait for task tokens' : 'a single task needs no gate');
  if (options.gatedRefusedBecause) return asNested(options.gatedRefusedBecause);
  if (nestedRatio > AUTO_GATED_THRESHOLD) {
    return asGated(`nested states would take ${nestedRatio.toFixed(2)}× the ideal (more than ${AUTO_GATED_THRESHOLD})`);
  }
  return asNested(`nested states take ${nestedRatio.toFixed(2)}× the ideal (at most ${AUTO_GATED_THRESHOLD})`);
}
