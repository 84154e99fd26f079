import { type TaskDefinition, type WorkflowDefinition } from '../definition/model.ts';
import type { AslState } from '../asl/index.ts';
import { DEFAULT_TASK_TIMEOUT_SECONDS, handlerId } from './functions.ts';
import { COORDINATOR_PLACEHOLDER, SERVICE_INVOKER_PLACEHOLDER, type TaskStatePlan } from './plan.ts';
import { failureStateNames, failureStates } from './states/failure.ts';
import { callbackState, callbackStatePlan, DEFAULT_CALLBACK_TIMEOUT_SECONDS } from './states/callback.ts';
import { approvalStates } from './states/approval.ts';
import { fanOutStates } from './states/fan-out.ts';
import { doneState, gateState } from './states/gate.ts';
import { mapStates } from './states/map.ts';
import { pooledTaskState } from './states/pooled-task.ts';
import { poolQueuePlaceholder } from './pools.ts';
import { stateNames } from './states/names.ts';
import { parallelState } from './states/parallel.ts';
import { branchCheckStates, branchFailedState, completionState, isSaga, sagaCatcher } from './states/saga.ts';
import { replacesInput, taskState, type StatePosition } from './states/task.ts';
import type { Structure } from './structure.ts';
import { serviceCallSeconds, servicePayload } from './service-payload.ts';

type Scope = Record<string, AslState>;

/** One task of a gated workflow: what it needs and when it is released. */
export interface GatedTask {
  readonly task: string;
  readonly needs: readonly string[];
  readonly rank: number;
}

/**
 * The Task state's timeout: the task's own, else a default written into the ASL (so the deployed
 * machine and the offline one time out alike); a service task waits at least as long as its service.
 */
export function taskTimeoutSeconds(task: TaskDefinition, definition: WorkflowDefinition): number {
  if (task.timeoutSeconds !== undefined) return task.timeoutSeconds;
  if (task.type === 'callback') return DEFAULT_CALLBACK_TIMEOUT_SECONDS;
  if (task.type === 'service') {
    return Math.max(DEFAULT_TASK_TIMEOUT_SECONDS, serviceCallSeconds(task, definition));
  }
  return DEFAULT_TASK_TIMEOUT_SECONDS;
}

/** Service tasks and callbacks via http call out through the service invoker. */
const viaServiceInvoker = (task: TaskDefinition): boolean => task.type === 'service' || (task.type === 'callback' && (task.callback?.kind ?? 'http') === 'http');

/** Walks a structure (or a gated graph) and writes its states into scopes: the machine, a branch, a Map iteration. */
export class AslEmitter {
  readonly taskStates: Record<string, TaskStatePlan> = {};
  private parallelCount = 0;
  private mapCount = 0;
  private readonly tasks: Map<string, TaskDefinition>;
  /** Fallback tasks serving more than one task: their results go into each failed task's record. */
  private readonly sharedFallbacks: Set<string>;
  /**
   * A saga: where a failing task goes, innermost scope last (the compensation path at the top, the end
   * of its branch inside a Parallel state). Empty when no task declares `compensate`.
   */
  private readonly failureExits: string[] = [];

  constructor(private readonly definition: WorkflowDefinition, private readonly projectRoot: string, sagaEntry?: string) {
    if (sagaEntry && isSaga(definition)) this.failureExits.push(sagaEntry);
    this.tasks = new Map(definition.tasks.map((t) => [t.name, t]));
    const uses = new Map<string, number>();
    for (const t of definition.tasks) if (t.onFailure.kind === 'fallback') uses.set(t.onFailure.task, (uses.get(t.onFailure.task) ?? 0) + 1);
    this.sharedFallbacks = new Set([...uses].filter(([, n]) => n > 1).map(([name]) => name));
  }

  /** Emits `s` into `scope`; returns the name of its first state. */
  emit(s: Structure, scope: Scope, position: StatePosition): string {
    if (s.kind === 'task') return this.emitTask(this.tasks.get(s.task)!, stateNames.task(s.task), scope, position);
    if (s.kind === 'series') {
      let next = position.next;
      for (let i = s.steps.length - 1; i >= 0; i--) {
        next = this.emit(s.steps[i], scope, { first: position.first && i === 0, next });
      }
      return next!;
    }
    if (s.kind === 'map') {
      const name = stateNames.map(++this.mapCount);
      const processor: Scope = {};
      const items = s.tasks.map((t) => ({ task: t, state: this.emitTask(this.tasks.get(t)!, stateNames.task(t), processor, { first: false, isolated: true }) }));
      Object.assign(scope, mapStates({ name, items, maxConcurrency: s.maxConcurrency, processor, first: position.first, next: position.next }));
      return stateNames.mapItems(name);
    }
    const name = stateNames.parallel(++this.parallelCount);
    const saga = this.failureExits.length > 0;
    const branches = s.branches.map((branch, i) => {
      const States: Scope = {};
      if (saga) {
        // A failing task ends its branch (with the failure and what completed) instead of the Parallel.
        const failed = stateNames.branchFailed(name, i);
        States[failed] = branchFailedState();
        this.failureExits.push(failed);
      }
      const StartAt = this.emit(branch, States, { first: position.first });
      if (saga) this.failureExits.pop();
      return { StartAt, States };
    });
    if (!saga) {
      Object.assign(scope, parallelState(name, branches, position.next));
      return name;
    }
    Object.assign(scope, parallelState(name, branches, stateNames.branchCheck(name)));
    Object.assign(scope, branchCheckStates(name, this.failureExits.at(-1)!, position.next));
    return name;
  }

  /**
   * Every task in its own branch of one Parallel state, behind a gate the coordinator opens once the
   * task's dependencies have reported (at most `limit` open at once), reporting its own output after.
   */
  emitGated(tasks: readonly GatedTask[], limit: number | undefined, scope: Scope, next?: string): string {
    const workflow = this.definition.name;
    const branches = tasks.map(({ task, needs, rank }) => {
      const States: Scope = {};
      const definition = this.tasks.get(task)!;
      const done = stateNames.done(task);
      const first = this.emitTask(definition, stateNames.task(task), States, { first: false, next: done });
      const gate = stateNames.gate(task);
      States[gate] = gateState({ workflow, task, needs, rank, limit, next: first });
      States[done] = doneState({ workflow, task, keys: this.keysOf(definition) });
      this.taskStates[gate] = { task, kind: 'gate', placeholder: COORDINATOR_PLACEHOLDER };
      this.taskStates[done] = { task, kind: 'done', placeholder: COORDINATOR_PLACEHOLDER };
      return { StartAt: gate, States };
    });
    const name = stateNames.gated();
    Object.assign(scope, parallelState(name, branches, next));
    return name;
  }

  /** Keys of the results object a task writes: its own, and its fallback's when that has its own. */
  private keysOf(task: TaskDefinition): string[] {
    const policy = task.onFailure;
    return policy.kind === 'fallback' && !this.sharedFallbacks.has(policy.task) ? [task.name, policy.task] : [task.name];
  }

  private emitTask(task: TaskDefinition, name: string, scope: Scope, position: StatePosition, resultPath?: string): string {
    const policy = task.onFailure;
    const sagaExit = policy.kind === 'fail' ? this.failureExits.at(-1) : undefined;
    if (task.type === 'approval') {
      const failures = failureStateNames(name);
      const after = policy.kind === 'fail' ? undefined : this.afterFailure(task, name, position, scope);
      const approval = approvalStates(task, position, this.definition.name, policy.kind === 'fail' ? { sagaExit } : { recover: { caught: failures.caught, after } });
      Object.assign(scope, approval.states);
      Object.assign(this.taskStates, approval.taskStates);
      if (policy.kind !== 'fail') Object.assign(scope, failureStates(task, name, replacesInput(position), task.approval!.expiresSeconds, after));
      return name;
    }
    // Pooled tasks send to their lane's queue; service and callback tasks run through the service invoker.
    const placeholder = task.pool
      ? poolQueuePlaceholder(task.pool.pool, task.pool.lane)
      : viaServiceInvoker(task) || task.type === 'callback' ? SERVICE_INVOKER_PLACEHOLDER : `TaskFunction_${handlerId(task.handler!, this.projectRoot)}`;
    const extraPayload = viaServiceInvoker(task) ? servicePayload(task, this.definition) : undefined;
    const timeoutSeconds = taskTimeoutSeconds(task, this.definition);
    const failures = failureStateNames(name);
    if (task.fanOut) {
      const fanOut = fanOutStates({ task, workflow: this.definition.name, position, placeholder, extraPayload, timeoutSeconds, ...(sagaExit ? { catchers: [sagaCatcher(sagaExit)] } : {}) });
      Object.assign(scope, fanOut.states);
      Object.assign(this.taskStates, fanOut.taskStates);
      return fanOut.start;
    }
    // A compensable task's completion is recorded by a Pass state right after it.
    const completed = task.compensate && this.failureExits.length > 0 ? stateNames.completed(name) : undefined;
    if (completed) scope[completed] = completionState(task.name, position.next);
    const statePosition = completed ? { ...position, next: completed } : position;
    const options = {
      workflow: this.definition.name,
      placeholder,
      extraPayload,
      timeoutSeconds,
      resultPath,
      ...(policy.kind !== 'fail' ? { catchTo: failures } : {}),
      ...(sagaExit ? { catchers: [sagaCatcher(sagaExit)] } : {}),
    };
    const state = task.pool ? pooledTaskState(task, statePosition, options) : taskState(task, statePosition, options);
    if (task.type === 'callback') {
      scope[name] = callbackState(state, task, this.definition.name);
      this.taskStates[name] = callbackStatePlan(task, this.definition.name, task.name, placeholder);
    } else {
      scope[name] = state;
      this.taskStates[name] = { task: task.name, kind: task.pool ? 'pool' : task.type === 'function' ? 'function' : 'service', placeholder };
    }

    if (policy.kind !== 'fail') {
      const after = this.afterFailure(task, name, position, scope);
      Object.assign(scope, failureStates(task, name, replacesInput(position), timeoutSeconds, after));
    }
    return name;
  }

  /** Where a task that may fail goes once its failure is recorded: its fallback (emitted here), or its next state. */
  private afterFailure(task: TaskDefinition, name: string, position: StatePosition, scope: Scope): string | undefined {
    const policy = task.onFailure;
    if (policy.kind !== 'fallback') return position.next;
    const fallback = this.tasks.get(policy.task)!;
    // A shared fallback writes into the failed task's record: its own key would keep only one result.
    const into = this.sharedFallbacks.has(fallback.name) ? `$.${task.name}.fallback` : undefined;
    return this.emitTask(fallback, stateNames.fallback(fallback.name, name), scope, { first: false, next: position.next }, into);
  }
}
