import { DEFAULT_SERVICE_TIMEOUT_SECONDS, type ServiceDefinition, type TaskDefinition, type WorkflowDefinition } from '../definition/model.ts';
import { MAX_LAMBDA_TIMEOUT_SECONDS, LAMBDA_TIMEOUT_MARGIN_SECONDS } from '../asl/limits.ts';

/** Every service a workflow can call: those tasks name, those they aggregate, and their fallbacks, in order of first use. */
export function referencedServices(definition: WorkflowDefinition): string[] {
  const names: string[] = [];
  const add = (name: string | undefined) => {
    while (name !== undefined && !names.includes(name)) {
      names.push(name);
      name = definition.services[name]?.orchestration?.fallback;
    }
  };
  for (const task of definition.tasks) {
    if (task.type === 'function') continue;
    for (const name of servicesTaskMayCall(task, definition)) add(name);
  }
  return names;
}

/** The services a task calls: its own, those it lists, or (a list from the input) any declared one. */
function servicesTaskMayCall(task: TaskDefinition, definition: WorkflowDefinition): readonly string[] {
  if (task.aggregate?.servicesPath) return Object.keys(definition.services);
  return task.aggregate?.services ?? [task.service!];
}

/** `$.services` (a path into the execution input) as the Parameters path that reads it: `$$.Execution.Input.services`. */
export function inputListParameter(path: string): string {
  return `$$.Execution.Input${path.slice(1)}`;
}

/** The services one service task can reach: its own (or those it aggregates) and their fallback chains. */
function servicesOfTask(task: TaskDefinition, definition: WorkflowDefinition): string[] {
  return referencedServices({ ...definition, tasks: [task] });
}

/**
 * What the service invoker receives besides the task event: the service (with its settings when it is
 * declared), the fallback services' settings under `related`, and for `services: [...]` the aggregation.
 *
 * Aggregation is one invoker call doing the scatter-gather rather than a Parallel state of calls: a
 * Parallel waits for every branch (or fails on the first error), so it can express neither
 * first_success (answer at the first success, not the slowest) nor quorum (k of n, the rest ignored);
 * one call also keeps the whole task in one state, with one timeout and one retry policy.
 */
export function servicePayload(task: TaskDefinition, definition: WorkflowDefinition): Record<string, unknown> {
  const declared = (name: string) => definition.services[name];
  const own = task.service!;
  const related: Record<string, ServiceDefinition> = {};
  for (const name of servicesOfTask(task, definition)) {
    if (name !== own && declared(name)) related[name] = declared(name)!;
  }
  return {
    service: { name: own, ...(declared(own) ? { definition: declared(own) } : {}) },
    ...(Object.keys(related).length ? { related } : {}),
    ...(task.aggregate ? { aggregate: aggregatePayload(task.aggregate) } : {}),
  };
}

/**
 * The aggregation the invoker receives. A list from the input is resolved by the state itself
 * (`services.$`, a Parameters path: https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html),
 * so the invoker gets the list whether the engine is Step Functions or the offline one.
 */
function aggregatePayload(aggregate: NonNullable<TaskDefinition['aggregate']>): Record<string, unknown> {
  if (aggregate.servicesPath === undefined) return { strategy: aggregate.strategy, quorum: aggregate.quorum, services: aggregate.services };
  return { strategy: aggregate.strategy, ...(aggregate.quorum > 0 ? { quorum: aggregate.quorum } : {}), 'services.$': inputListParameter(aggregate.servicesPath), fromInput: true };
}

/**
 * How long a service task may take by default: each service call may fail over across instances (one
 * timeout each, within the orchestration's call budget) and then go to its fallback; aggregated
 * services run at once, so the slowest counts. Capped so that the state timeout fires before the Lambda's.
 */
export function serviceCallSeconds(task: TaskDefinition, definition: WorkflowDefinition): number {
  const one = (name: string): number => {
    let total = 0;
    const seen = new Set<string>();
    for (let current: string | undefined = name; current && !seen.has(current); current = definition.services[current]?.orchestration?.fallback) {
      seen.add(current);
      const service = definition.services[current];
      const timeout = service?.timeoutSeconds ?? DEFAULT_SERVICE_TIMEOUT_SECONDS;
      const orchestration = service?.orchestration;
      total += orchestration ? Math.min(orchestration.callBudgetSeconds, timeout * (orchestration.failover ? orchestration.maxAttempts : 1)) : timeout;
    }
    return total;
  };
  const callable = servicesTaskMayCall(task, definition);
  // A list from the input with no service declared: each is called with the default timeout.
  const slowest = callable.length ? Math.max(...callable.map(one)) : one(task.service!);
  return Math.min(Math.ceil(slowest), MAX_LAMBDA_TIMEOUT_SECONDS - LAMBDA_TIMEOUT_MARGIN_SECONDS);
}
