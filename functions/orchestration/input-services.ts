import type { ServiceDefinition } from '../../core/definition/model.ts';
import type { AggregateStrategy } from '../../core/definition/orchestration-model.ts';
import { NonRetriableError, UnknownService } from '../../core/errors.ts';
import { serviceUrlVariable, type Env } from '../service-invoker/resolve-service.ts';
import type { AggregateRequest } from './aggregate.ts';

/** The aggregation as the invoker receives it; with `fromInput`, `services` is what the input held. */
export interface AggregationEvent {
  readonly strategy: AggregateStrategy;
  readonly quorum?: number;
  readonly services: unknown;
  readonly fromInput?: boolean;
}

/**
 * The scatter-gather to run. A list from the execution input is checked here, where it is first known:
 * a list of distinct names, each declared in the workflow (its settings came with the event) or
 * configured by STEPFLOW_SERVICE_<NAME>_URL; any other name fails the task with stepflow.UnknownService.
 * Without `quorum` set, it is counted from the list as for a listed one (majority, all, or 1).
 */
export function aggregateRequest(task: string, event: AggregationEvent, definitions: Readonly<Record<string, ServiceDefinition>>, env: Env): AggregateRequest {
  const { services } = event;
  if (!Array.isArray(services) || services.some((s) => typeof s !== 'string' || s === '')) {
    throw new NonRetriableError(`task "${task}": the services from the input must be a list of service names, got ${JSON.stringify(services)}`);
  }
  const names = services as string[];
  if (names.length === 0) throw new NonRetriableError(`task "${task}": the services list from the input is empty`);
  if (new Set(names).size !== names.length) throw new NonRetriableError(`task "${task}": the services list names a service twice: ${names.join(', ')}`);
  if (event.fromInput) {
    const unknown = names.filter((name) => !definitions[name] && !env[serviceUrlVariable(name)]);
    if (unknown.length) {
      throw new UnknownService(`task "${task}": unknown service${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}: declare it under workflow.services or set ${serviceUrlVariable(unknown[0])}`, unknown);
    }
  }
  const quorum = event.quorum ?? (event.strategy === 'quorum' ? Math.floor(names.length / 2) + 1 : event.strategy === 'first_success' ? 1 : names.length);
  if (quorum > names.length) throw new NonRetriableError(`task "${task}": quorum ${quorum} is more than the ${names.length} services listed`);
  return { strategy: event.strategy, quorum, services: names };
}
