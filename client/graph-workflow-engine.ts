import { WorkflowGraphError } from './errors.ts';
import { WorkflowEngine, type Execution, type WaitOptions, type WorkflowEngineOptions } from './workflow-engine.ts';

/** One task of a graph handed to the engine; fields besides `name` are passed through untouched. */
export interface GraphTask {
  readonly name: string;
  /** Handler the task runs, e.g. `dataProcessor`. */
  readonly function?: string;
  readonly service?: string;
  readonly [field: string]: unknown;
}

export interface GraphExecutionRequest {
  readonly tasks: readonly GraphTask[];
  /** Task → the tasks it waits for. @default {} */
  readonly dependencies?: Readonly<Record<string, readonly string[]>>;
  /** Extra input for the workflow. @default {} */
  readonly input?: unknown;
  /** Execution name, for an idempotent start. @default a generated name */
  readonly name?: string;
}

export interface GraphEngineOptions extends WorkflowEngineOptions {
  /** The deployed workflow that runs task graphs. @default the engine type: 'sequential' or 'parallel' */
  readonly workflow?: string;
  /** @default unbounded */
  readonly maxConcurrentTasks?: number;
  /** Whole-execution timeout in seconds. @default the workflow's own */
  readonly timeout?: number;
  /** @default the workflow's own */
  readonly retryAttempts?: number;
}

/**
 * Starts a deployed workflow with a task graph as its input, after checking the graph (unique names,
 * known dependencies, no cycle) so a bad graph fails here, listing every problem, and not mid-run.
 * The workflow receives `{ engine: { type, maxConcurrentTasks?, timeoutSeconds?, retryAttempts? }, tasks,
 * dependencies, order, input }`, where `order` is a topological order of the tasks.
 */
export abstract class GraphWorkflowEngine {
  readonly workflow: string;
  private readonly engine: WorkflowEngine;

  protected constructor(
    private readonly type: 'sequential' | 'parallel',
    private readonly options: GraphEngineOptions = {},
  ) {
    this.workflow = options.workflow ?? type;
    this.engine = new WorkflowEngine(options);
  }

  /** Starts the workflow; returns the execution id. */
  async execute(request: GraphExecutionRequest): Promise<string> {
    const dependencies = request.dependencies ?? {};
    const order = checkGraph(request.tasks, dependencies);
    const engine = {
      type: this.type,
      ...(this.options.maxConcurrentTasks !== undefined ? { maxConcurrentTasks: this.options.maxConcurrentTasks } : {}),
      ...(this.options.timeout !== undefined ? { timeoutSeconds: this.options.timeout } : {}),
      ...(this.options.retryAttempts !== undefined ? { retryAttempts: this.options.retryAttempts } : {}),
    };
    return this.engine.execute(
      this.workflow,
      { engine, tasks: request.tasks, dependencies, order, input: request.input ?? {} },
      { name: request.name },
    );
  }

  status(executionId: string): Promise<Execution> {
    return this.engine.status(this.workflow, executionId);
  }

  wait(executionId: string, options?: WaitOptions): Promise<Execution> {
    return this.engine.wait(this.workflow, executionId, options);
  }

  cancel(executionId: string): Promise<void> {
    return this.engine.cancel(this.workflow, executionId);
  }
}

/** A topological order of the tasks (Kahn's algorithm, stable); a WorkflowGraphError listing every problem otherwise. */
export function checkGraph(tasks: readonly GraphTask[], dependencies: Readonly<Record<string, readonly string[]>>): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const [index, task] of tasks.entries()) {
    if (typeof task.name !== 'string' || task.name === '') problems.push(`tasks[${index}] has no name`);
    else if (names.has(task.name)) problems.push(`task "${task.name}" is defined twice`);
    else names.add(task.name);
  }
  for (const [task, upstream] of Object.entries(dependencies)) {
    if (!names.has(task)) problems.push(`dependencies name unknown task "${task}"`);
    for (const dependency of upstream) {
      if (!names.has(dependency)) problems.push(`task "${task}" depends on unknown task "${dependency}"`);
    }
  }
  if (problems.length) throw new WorkflowGraphError(problems);

  const remaining = new Map([...names].map((name) => [name, new Set(dependencies[name] ?? [])]));
  const order: string[] = [];
  while (remaining.size) {
    const ready = [...remaining].filter(([, upstream]) => upstream.size === 0).map(([name]) => name);
    if (!ready.length) throw new WorkflowGraphError([`tasks ${[...remaining.keys()].map((n) => `"${n}"`).join(', ')} form a dependency cycle`]);
    for (const name of ready) {
      order.push(name);
      remaining.delete(name);
      for (const upstream of remaining.values()) upstream.delete(name);
    }
  }
  return order;
}
