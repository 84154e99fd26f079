import { coordinatorRequestSchema, type CoordinatorRequest } from '../../core/contracts/coordinator.ts';
import { NonRetriableError, RetryableError } from '../../core/errors.ts';
import { createAwsClients } from '../shared/clients.ts';
import { loadConfig } from '../shared/config.ts';
import { jsonLogger, type Logger } from '../shared/logger.ts';
import type { CoordinatorStore } from './coordinator-store.ts';
import { DynamoDbCoordinatorStore } from './dynamodb-coordinator-store.ts';
import { registerDone, registerWait, type Gates } from './gates.ts';
import { SfnTaskTokens } from './sfn-task-tokens.ts';
import type { TaskTokens } from './task-tokens.ts';
import { lambdaEntry } from '../shared/lambda-entry.ts';

export interface CoordinatorDeps {
  readonly store: CoordinatorStore;
  readonly tokens: TaskTokens;
  /** @default jsonLogger */
  readonly logger?: Logger;
  /** Waits between attempts after a conflicting save, in ms. @default a short random wait */
  readonly backoff?: (attempt: number) => Promise<void>;
}

export interface CoordinatorResult {
  /** Tasks whose gate this call opened (or opened again). */
  readonly released: readonly string[];
}

/** Conflicting saves a call retries before giving up (its state is then retried by Step Functions). */
const MAX_ATTEMPTS = 100;

const randomBackoff = (attempt: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 5 * 2 ** Math.min(attempt, 6))));

/**
 * The gated strategy's coordinator. A `wait` registers a task's gate (its token first, so whoever
 * releases the task finds it); a `done` stores the task's output, then marks it done. Each decision is
 * saved only if the execution's gates were not saved by another call meanwhile (else it is made again
 * on the fresh gates), so no task is released twice or missed, and at most `limit` run at once. Then
 * every release not known to be delivered is sent: SendTaskSuccess with the merged outputs of what the
 * task needs. A call repeated by Step Functions' retries changes nothing and delivers again what may
 * have been lost.
 */
export function createCoordinator(deps: CoordinatorDeps) {
  const logger = deps.logger ?? jsonLogger;
  const backoff = deps.backoff ?? randomBackoff;

  /** Applies the request to the stored gates until a save goes through; the gates it saved. */
  const decide = async (request: CoordinatorRequest): Promise<Gates> => {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const { gates, version } = await deps.store.load(request.execution);
      const next = request.action === 'wait' ? registerWait(gates, request) : registerDone(gates, request);
      if (next.gates === gates || (await deps.store.save(request.execution, next.gates, version))) return next.gates;
      await backoff(attempt);
    }
    throw new RetryableError(`execution ${request.execution}: its gates kept changing under ${MAX_ATTEMPTS} attempts`);
  };

  /** Sends every pending release; returns the tasks now known to be released. */
  const deliver = async (execution: string, gates: Gates): Promise<string[]> => {
    const delivered: string[] = [];
    for (const task of gates.pending) {
      const needs = gates.running[task] ?? [];
      const token = await deps.store.getToken(execution, task);
      if (!token) continue; // its gate is not registered yet: its own wait will release it
      const outputs = await deps.store.getOutputs(execution, needs);
      const results = Object.assign({}, ...needs.map((n) => outputs[n] ?? {})) as Record<string, unknown>;
      await deps.tokens.succeed(token, JSON.stringify(results));
      delivered.push(task);
    }
    return delivered;
  };

  /** Drops delivered tasks from the pending ones; a lost race leaves them for the next call to send again. */
  const confirm = async (execution: string, delivered: readonly string[]): Promise<void> => {
    if (delivered.length === 0) return;
    for (let attempt = 0; attempt < 5; attempt++) {
      const { gates, version } = await deps.store.load(execution);
      const pending = gates.pending.filter((t) => !delivered.includes(t));
      if (pending.length === gates.pending.length || (await deps.store.save(execution, { ...gates, pending }, version))) return;
      await backoff(attempt);
    }
  };

  return async (event: unknown): Promise<CoordinatorResult> => {
    const parsed = coordinatorRequestSchema.safeParse(event);
    if (!parsed.success) throw new NonRetriableError(`invalid coordinator request: ${parsed.error.message}`, { cause: parsed.error });
    const request = parsed.data;
    if (request.action === 'wait') await deps.store.putToken(request.execution, request.task, request.token);
    else await deps.store.putOutput(request.execution, request.task, request.output);
    const gates = await decide(request);
    const released = await deliver(request.execution, gates);
    await confirm(request.execution, released);
    logger('info', `coordinator ${request.action}`, { execution: request.execution, task: request.task, released });
    return { released };
  };
}

let coordinator: ReturnType<typeof createCoordinator> | undefined;

/** The Lambda entry point (invoked by gated workflows' gate and report states); dependencies are built on first use. */
export const handler = lambdaEntry((event: unknown): Promise<CoordinatorResult> => {
  if (!coordinator) {
    const { table, aws } = loadConfig(process.env);
    const clients = createAwsClients(aws);
    coordinator = createCoordinator({ store: new DynamoDbCoordinatorStore({ client: clients.dynamo, tableName: table }), tokens: new SfnTaskTokens(clients.sfn) });
  }
  return coordinator(event);
});
