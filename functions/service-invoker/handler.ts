import type { ServiceDefinition } from '../../core/definition/model.ts';
import type { ServiceTaskEvent } from '../../core/contracts/task-event.ts';
import { NonRetriableError } from '../../core/errors.ts';
import * as z from 'zod/mini';
import { taskEventSchema } from '../../core/contracts/task-event.ts';
import type { Env } from './resolve-service.ts';
import { scatterGather } from '../orchestration/aggregate.ts';
import { aggregateRequest, type AggregationEvent } from '../orchestration/input-services.ts';
import { defaultOrchestrationRuntime } from '../orchestration/default-runtime.ts';
import type { ServiceOrchestrationRuntime } from '../orchestration/orchestrator.ts';
import { lambdaEntry } from '../shared/lambda-entry.ts';
import { errorFields, jsonLogger } from '../shared/logger.ts';

export interface ServiceInvokerDeps {
  /** @default process.env */
  readonly env?: Env;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Discovery, balancing, health and breakers of orchestrated services. @default from the environment (defaultOrchestrationRuntime) */
  readonly orchestration?: ServiceOrchestrationRuntime;
}

const serviceDefinitionSchema = z.object({
  name: z.string(),
  url: z.optional(z.string().check(z.minLength(1))),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
  headers: z.record(z.string(), z.string()),
  timeoutSeconds: z.number().check(z.positive()),
  // Written by the compiler from a validated definition (core/definition/orchestration-model.ts).
  orchestration: z.optional(z.record(z.string(), z.unknown())),
});

const serviceTaskEventSchema = z.extend(taskEventSchema, {
  /** A callback task's token: sent with the event, answered through POST /callbacks/{token}. */
  token: z.optional(z.string()),
  service: z.object({
    name: z.string().check(z.minLength(1)),
    definition: z.optional(serviceDefinitionSchema),
  }),
  /** Settings of the other services the task may call (fallbacks, aggregated services). */
  related: z.optional(z.record(z.string(), serviceDefinitionSchema)),
  aggregate: z.optional(z.object({
    strategy: z.enum(['merge', 'all', 'first_success', 'quorum']),
    quorum: z.optional(z.number().check(z.int(), z.minimum(1))),
    // A list resolved from the execution input (fromInput) is checked by aggregateRequest.
    services: z.unknown(),
    fromInput: z.optional(z.boolean()),
  })),
});

/**
 * Calls the HTTP service of a `type: service` task and returns its JSON answer (or `{ status, body }`
 * when it is not JSON). A service with orchestration settings goes through discovery, load balancing,
 * health, failover and its circuit breaker; a task with `services: [...]` scatter-gathers. Failures are
 * named for what the engine does with them: 5xx, 408, 429, network errors and timeouts →
 * ServiceUnavailable (retried); other 4xx → ServiceRejected (not retried); an open breaker → CircuitOpen.
 */
export function createServiceInvoker(deps: ServiceInvokerDeps = {}) {
  let runtime = deps.orchestration;
  return async (event: unknown): Promise<unknown> => {
    const parsed = serviceTaskEventSchema.safeParse(event);
    if (!parsed.success) {
      throw new NonRetriableError(`invalid service task event: ${parsed.error.message}`, { cause: parsed.error });
    }
    const data = parsed.data as ServiceTaskEvent & { token?: string; related?: Record<string, ServiceDefinition>; aggregate?: AggregationEvent };
    const { service, task, workflow, execution, input, results, token } = data;
    runtime ??= defaultOrchestrationRuntime(deps.env ?? process.env, deps.fetch);
    // A callback task's token travels in the body: the service answers through POST /callbacks/{token}.
    const body = { task, workflow, execution, input, results, ...(token !== undefined ? { token } : {}) };
    const related = data.related ?? {};
    try {
      if (data.aggregate) {
        const definitions = { ...related, ...(service.definition ? { [service.name]: service.definition } : {}) };
        return await scatterGather(runtime, aggregateRequest(task, data.aggregate, definitions, deps.env ?? process.env), definitions, body);
      }
      return await runtime.call(service, body, related);
    } finally {
      // Outcomes are batched in memory: written before the invocation returns and the environment freezes.
      // A failed write keeps them in the batch for the next invocation rather than failing this task.
      await runtime.flush().catch((error: unknown) => jsonLogger('warn', 'service outcomes not flushed', errorFields(error)));
    }
  };
}

/** The Lambda entry point behind every service task (SERVICE_INVOKER_PLACEHOLDER). */
export const handler = lambdaEntry(createServiceInvoker());
