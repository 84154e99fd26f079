import type { z } from 'zod';
import { NonRetriableError } from '../../core/errors.ts';
import { errorFields, jsonLogger, type Logger } from '../shared/logger.ts';
import { taskEventSchema } from '../../core/contracts/task-event.ts';
import { lambdaEntry } from '../shared/lambda-entry.ts';
import type { Context } from 'aws-lambda';

/** What a task's work receives. */
export interface TaskContext<I> {
  /** The execution input (checked against `inputSchema` when one is given). */
  readonly input: I;
  /** Results of every completed upstream task, keyed by task name. */
  readonly results: Readonly<Record<string, unknown>>;
  readonly task: string;
  readonly workflow: string;
  /** 0 on the first attempt: use it to make retries visible or to back off. */
  readonly attempt: number;
  /** The execution's ARN (or the offline engine's id). */
  readonly execution: string;
  /** In a fan-out stage: the item this run handles, and its index in the list. */
  readonly item?: unknown;
  readonly index?: number;
}

export type TaskWork<I, R> = (context: TaskContext<I>) => R | Promise<R>;

export interface TaskOptions<I> {
  /** Checks the workflow input before the work runs; a mismatch is a NonRetriableError. @default no check */
  readonly inputSchema?: z.ZodType<I>;
  /** @default jsonLogger (one JSON line on stdout per start and end) */
  readonly logger?: Logger;
}

/** A task Lambda handler: takes a TaskEvent, returns the task's result. */
export type TaskHandler<R> = (event: unknown, context?: Context) => Promise<R>;

/**
 * Wraps a task's work into the handler every task Lambda runs: checks the TaskEvent, logs one JSON line
 * at start and one at the end (task, attempt, duration), and returns the work's result. Errors propagate
 * unchanged, with their `name`, because that name is the `Error` Step Functions matches in `ErrorEquals`.
 */
export function defineTask<I = unknown, R = unknown>(work: TaskWork<I, R>, options: TaskOptions<I> = {}): TaskHandler<R> {
  const logger = options.logger ?? jsonLogger;
  // In Lambda the handler runs through the Powertools chain (ids on every log line, EMF metrics, tracing).
  return lambdaEntry(async (event: unknown): Promise<R> => {
    const parsed = taskEventSchema.safeParse(event);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(event)'}: ${issue.message}`);
      throw new NonRetriableError(`invalid task event: ${problems.join('; ')}`, { cause: parsed.error });
    }
    const { task, workflow, execution, attempt, results, item, index } = parsed.data;
    let input = parsed.data.input as I;
    if (options.inputSchema) {
      const checked = options.inputSchema.safeParse(parsed.data.input);
      if (!checked.success) {
        const problems = checked.error.issues.map((issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`);
        throw new NonRetriableError(`task "${task}": invalid workflow input: ${problems.join('; ')}`, { cause: checked.error });
      }
      input = checked.data;
    }
    const fields = { task, workflow, execution, attempt };
    logger('info', 'task started', fields);
    const started = performance.now();
    try {
      const result = await work({ input, results, task, workflow, attempt, execution, ...(index !== undefined ? { item, index } : {}) });
      logger('info', 'task succeeded', { ...fields, durationMs: Math.round(performance.now() - started) });
      return result;
    } catch (error) {
      logger('warn', 'task failed', { ...fields, durationMs: Math.round(performance.now() - started), ...errorFields(error) });
      throw error;
    }
  });
}

/** Alias of defineTask. */
export const task = defineTask;
