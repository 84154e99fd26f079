import { nextOf, type AslState, type StateMachineDefinition } from '../asl/index.ts';
import type { Diagnostic } from '../definition/diagnostics.ts';
import type { TaskDefinition, WorkflowDefinition } from '../definition/model.ts';
import { parallelStructure, sequentialStructure, type DependencyGraph } from './graph.ts';
import { taskFunctions, handlerId } from './functions.ts';
import { SERVICE_INVOKER_PLACEHOLDER, type TaskStatePlan, type WorkflowPlan } from './plan.ts';
import { stateNames } from './states/names.ts';
import { parallelState } from './states/parallel.ts';
import { failureStates, taskState, type StatePosition } from './states/task.ts';
import { pooledTaskState } from './states/pooled-task.ts';
import { poolQueuePlaceholder } from './pools.ts';
import { limitWidth, type Structure } from './structure.ts';
import { compileTriggers } from './triggers.ts';

export interface CompileOptions {
  /**
   * Folder that handler ids are relative to.
   * @default the definition's `projectRoot`
   */
  readonly projectRoot?: string;
}

/** Definition → plan: the ASL state machine and everything it needs. */
export function compileWorkflow(definition: WorkflowDefinition, options: CompileOptions = {}): WorkflowPlan {
  const projectRoot = options.projectRoot ?? definition.projectRoot;
  const { structure, warnings } = structureOf(definition);
  const emitter = new AslEmitter(definition, projectRoot);
  const States: Record<string, AslState> = {};
  const StartAt = emitter.emit(structure, States, { first: true });

  const asl: StateMachineDefinition = {
    ...(definition.description ? { Comment: definition.description } : {}),
    StartAt,
    States: inRunOrder(StartAt, States),
    ...(definition.engine.timeoutSeconds ? { TimeoutSeconds: definition.engine.timeoutSeconds } : {}),
  };
  const serviceNames = [...new Set(definition.tasks.filter((t) => t.type === 'service').map((t) => t.service!))];
  return {
    name: definition.name,
    description: definition.description,
    file: definition.file,
    mode: definition.engine.mode === 'express' ? 'EXPRESS' : 'STANDARD',
    asl,
    functions: taskFunctions(definition.tasks, projectRoot, definition.scheduling),
    services: serviceNames.map((name) => ({ name, definition: definition.services[name] })),
    taskStates: emitter.taskStates,
    inputSchema: definition.inputSchema,
    timeoutSeconds: definition.engine.timeoutSeconds,
    triggers: compileTriggers(definition.triggers),
    scheduling: definition.scheduling,
    ...(definition.pools ? { pools: definition.pools } : {}),
    warnings,
  };
}

/** The structure the tasks run in, bounded by max_concurrent_tasks. */
export function structureOf(definition: WorkflowDefinition): { structure: Structure; warnings: Diagnostic[] } {
  const fallbacks = new Set(definition.tasks.flatMap((t) => (t.onFailure.kind === 'fallback' ? [t.onFailure.task] : [])));
  const graph: DependencyGraph = new Map(
    definition.tasks.filter((t) => !fallbacks.has(t.name)).map((t) => [t.name, t.dependsOn]),
  );
  if (definition.engine.type === 'sequential') return { structure: sequentialStructure(graph), warnings: [] };

  const { structure, serialised } = parallelStructure(graph);
  const index = new Map(definition.tasks.map((t, i) => [t.name, i]));
  const warnings: Diagnostic[] = serialised.map((edge) => ({
    code: 'serialised_edge',
    severity: 'warning',
    file: definition.file,
    line: definition.lines?.[edge.task],
    path: ['workflow', 'tasks', index.get(edge.task)!, 'depends_on'],
    message: `task "${edge.task}" also waits for "${edge.waitsFor}": the dependency graph is not series-parallel, so Parallel states cannot express it exactly`,
  }));
  const limit = definition.engine.maxConcurrentTasks;
  return { structure: limit ? limitWidth(structure, limit) : structure, warnings };
}

/**
 * States listed in the order they run (following Next, then Catch targets), so compiled ASL reads top
 * to bottom; the emitter writes them last-first. Branches are ordered the same way.
 */
function inRunOrder(startAt: string, states: Record<string, AslState>): Record<string, AslState> {
  const ordered: Record<string, AslState> = {};
  const visit = (name: string | undefined) => {
    if (!name || name in ordered || !(name in states)) return;
    const state = states[name];
    ordered[name] = state.Type === 'Parallel'
      ? { ...state, Branches: state.Branches.map((b) => ({ StartAt: b.StartAt, States: inRunOrder(b.StartAt, b.States) })) }
      : state;
    visit(nextOf(state));
    if ('Catch' in state) for (const catcher of state.Catch ?? []) visit(catcher.Next);
  };
  visit(startAt);
  return ordered;
}

/** Walks a structure and writes its states into scopes (the machine, or a Parallel branch). */
class AslEmitter {
  readonly taskStates: Record<string, TaskStatePlan> = {};
  private parallelCount = 0;
  private readonly tasks: Map<string, TaskDefinition>;

  constructor(private readonly definition: WorkflowDefinition, private readonly projectRoot: string) {
    this.tasks = new Map(definition.tasks.map((t) => [t.name, t]));
  }

  /** Emits `s` into `scope`; returns the name of its first state. */
  emit(s: Structure, scope: Record<string, AslState>, position: StatePosition): string {
    if (s.kind === 'task') return this.emitTask(this.tasks.get(s.task)!, stateNames.task(s.task), scope, position);
    if (s.kind === 'series') {
      let next = position.next;
      for (let i = s.steps.length - 1; i >= 0; i--) {
        next = this.emit(s.steps[i], scope, { first: position.first && i === 0, next });
      }
      return next!;
    }
    const name = stateNames.parallel(++this.parallelCount);
    const branches = s.branches.map((branch) => {
      const States: Record<string, AslState> = {};
      const StartAt = this.emit(branch, States, { first: position.first });
      return { StartAt, States };
    });
    scope[name] = parallelState(branches, position.next);
    return name;
  }

  private emitTask(task: TaskDefinition, name: string, scope: Record<string, AslState>, position: StatePosition): string {
    if (task.pool) {
      scope[name] = pooledTaskState(task, name, position, this.definition.name);
      this.taskStates[name] = { task: task.name, kind: 'pool', placeholder: poolQueuePlaceholder(task.pool.pool, task.pool.lane) };
      return this.emitFailurePolicy(task, name, scope, position);
    }
    const placeholder = task.type === 'service' ? SERVICE_INVOKER_PLACEHOLDER : `TaskFunction_${handlerId(task.handler!, this.projectRoot)}`;
    const extraPayload = task.type === 'service'
      ? { service: { name: task.service!, ...(this.definition.services[task.service!] ? { definition: this.definition.services[task.service!] } : {}) } }
      : undefined;
    scope[name] = taskState(task, name, position, { workflow: this.definition.name, placeholder, extraPayload });
    this.taskStates[name] = { task: task.name, kind: task.type, placeholder };
    return this.emitFailurePolicy(task, name, scope, position);
  }

  private emitFailurePolicy(task: TaskDefinition, name: string, scope: Record<string, AslState>, position: StatePosition): string {
    const policy = task.onFailure;
    if (policy.kind !== 'fail') {
      let after = position.next;
      if (policy.kind === 'fallback') {
        const fallback = this.tasks.get(policy.task)!;
        after = this.emitTask(fallback, stateNames.fallback(fallback.name, name), scope, { first: false, next: position.next });
      }
      Object.assign(scope, failureStates(task, name, position.first, after));
    }
    return name;
  }
}
