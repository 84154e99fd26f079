import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { TaskEvent } from '../../../core/contracts/task-event.ts';
import { NonRetriableError, RetryableError } from '../../../core/errors.ts';
import type { LogFields, LogLevel } from '../../../functions/shared/logger.ts';
import { defineTask, task } from '../../../functions/task-runner/define-task.ts';

const EVENT: TaskEvent = {
  task: 'charge',
  workflow: 'orders',
  execution: 'arn:aws:states:us-east-1:123456789012:execution:orders:run-1',
  attempt: 1,
  input: { orderId: 'o-1', amount: 5 },
  results: { validate: { ok: true } },
};

function recordingLogger() {
  const lines: { level: LogLevel; message: string; fields?: LogFields }[] = [];
  return { lines, logger: (level: LogLevel, message: string, fields?: LogFields) => lines.push({ level, message, fields }) };
}

describe('defineTask', () => {
  it('gives the work the input, upstream results, task, attempt and execution, and returns its result', async () => {
    const handler = defineTask(async (context) => context, { logger: () => {} });
    expect(await handler(EVENT)).toEqual({
      input: EVENT.input, results: EVENT.results, task: 'charge', workflow: 'orders', attempt: 1, execution: EVENT.execution,
    });
  });

  it('logs one line at the start and one at the end with task, attempt and duration', async () => {
    const { lines, logger } = recordingLogger();
    await defineTask(() => 'done', { logger })(EVENT);
    expect(lines).toEqual([
      { level: 'info', message: 'task started', fields: { task: 'charge', workflow: 'orders', execution: EVENT.execution, attempt: 1 } },
      { level: 'info', message: 'task succeeded', fields: expect.objectContaining({ task: 'charge', attempt: 1, durationMs: expect.any(Number) }) },
    ]);
  });

  it('lets errors through unchanged, name included, so ASL ErrorEquals can match them', async () => {
    class PrimaryStoreDown extends Error {
      override readonly name = 'PrimaryStoreDown';
    }
    const failure = new PrimaryStoreDown('down');
    const { lines, logger } = recordingLogger();
    await expect(defineTask(() => { throw failure; }, { logger })(EVENT)).rejects.toBe(failure);
    await expect(task(() => { throw new RetryableError('later'); }, { logger })(EVENT)).rejects.toMatchObject({ name: 'RetryableError' });
    expect(lines.at(-1)).toMatchObject({ level: 'warn', message: 'task failed', fields: { error: 'RetryableError' } });
  });

  it('refuses an event that is not a TaskEvent as non-retriable, naming the field', async () => {
    const handler = defineTask(() => 'never', { logger: () => {} });
    const { attempt: _omitted, ...withoutAttempt } = EVENT;
    await expect(handler(withoutAttempt)).rejects.toSatisfy(
      (error: Error) => error instanceof NonRetriableError && error.name === 'NonRetriableError' && /attempt/.test(error.message),
    );
  });

  it('checks the workflow input against inputSchema', async () => {
    const inputSchema = z.object({ orderId: z.string(), amount: z.number().positive() });
    const handler = defineTask(({ input }) => input.amount * 2, { inputSchema, logger: () => {} });
    expect(await handler(EVENT)).toBe(10);
    await expect(handler({ ...EVENT, input: { orderId: 'o-1', amount: -1 } })).rejects.toSatisfy(
      (error: Error) => error instanceof NonRetriableError && /amount/.test(error.message),
    );
  });
});
