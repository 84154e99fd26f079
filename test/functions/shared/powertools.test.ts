import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** JSON lines written to stdout and stderr while `work` runs (Powertools writes warnings and errors to stderr). */
async function stdoutOf(work: () => Promise<unknown>): Promise<{ lines: Record<string, unknown>[]; error?: unknown }> {
  const chunks: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  };
  const spies = [vi.spyOn(process.stdout, 'write').mockImplementation(capture), vi.spyOn(process.stderr, 'write').mockImplementation(capture)];
  let error: unknown;
  try {
    await work();
  } catch (caught) {
    error = caught;
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  const lines = chunks.join('').split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
  return { lines, error };
}

const context = { functionName: 'stepflow-task', functionVersion: '3', invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:stepflow-task', memoryLimitInMB: '256', awsRequestId: 'req-1' };
const event = (extra: Record<string, unknown> = {}) => ({
  task: 'charge',
  workflow: 'orders',
  execution: 'arn:aws:states:eu-west-1:123456789012:execution:Stepflow-orders:run-42',
  attempt: 0,
  input: { amount: 3 },
  results: {},
  ...extra,
});

describe('task handlers in Lambda (Powertools through middy)', () => {
  beforeEach(() => {
    vi.resetModules();
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'stepflow-task');
    vi.stubEnv('STEPFLOW_LOG', undefined);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('puts the execution and task ids on every log line, the work\'s own lines included, and counts the task in EMF', async () => {
    const { defineTask } = await import('../../../functions/task-runner/define-task.ts');
    const { jsonLogger } = await import('../../../functions/shared/logger.ts');
    const handler = defineTask(async ({ input }) => {
      jsonLogger('info', 'charging', { amount: (input as { amount: number }).amount });
      return { charged: true };
    });
    const { lines, error } = await stdoutOf(() => handler(event(), context as never));
    expect(error).toBeUndefined();
    const logs = lines.filter((line) => typeof line.message === 'string');
    expect(logs.map((line) => line.message)).toEqual(['task started', 'charging', 'task succeeded']);
    for (const line of logs) {
      expect(line).toMatchObject({ executionId: event().execution, task: 'charge', workflow: 'orders', function_request_id: 'req-1' });
    }
    expect(logs[1]).toMatchObject({ amount: 3, level: 'INFO' });
    const emf = lines.find((line) => line._aws !== undefined);
    expect(emf).toMatchObject({ TaskSucceeded: 1, workflow: 'orders' });
    expect(JSON.stringify(emf)).toContain('"Namespace":"stepflow"');
  });

  it('counts a failed task and rethrows its error unchanged', async () => {
    const { defineTask } = await import('../../../functions/task-runner/define-task.ts');
    class PaymentDeclined extends Error {
      override name = 'PaymentDeclined';
    }
    const handler = defineTask(() => {
      throw new PaymentDeclined('card refused');
    });
    const { lines, error } = await stdoutOf(() => handler(event({ execution: 'exec-7' }), context as never));
    expect((error as Error).name).toBe('PaymentDeclined');
    expect(lines.find((line) => line.message === 'task failed')).toMatchObject({ executionId: 'exec-7', level: 'WARN' });
    expect(lines.find((line) => line._aws !== undefined)).toMatchObject({ TaskFailed: 1 });
  });

  it('keeps the ids of one invocation off the next', async () => {
    const { withPowertools } = await import('../../../functions/shared/powertools.ts');
    const { jsonLogger } = await import('../../../functions/shared/logger.ts');
    const handler = withPowertools(async () => {
      jsonLogger('info', 'tick');
      return 1;
    });
    await stdoutOf(() => handler(event(), context as never));
    const { lines } = await stdoutOf(() => handler({ source: 'aws.events' } as never, context as never));
    expect(lines.find((line) => line.message === 'tick')).not.toHaveProperty('executionId');
  });
});

describe('offline', () => {
  it('leaves the handler as it was and the sink in charge', async () => {
    vi.resetModules();
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', undefined);
    const { defineTask } = await import('../../../functions/task-runner/define-task.ts');
    const { withLogSink } = await import('../../../functions/shared/logger.ts');
    const seen: string[] = [];
    const result = await withLogSink((line) => seen.push(line), () => defineTask(async () => 'ok')(event()));
    expect(result).toBe('ok');
    expect(seen.map((line) => JSON.parse(line).message)).toEqual(['task started', 'task succeeded']);
    vi.unstubAllEnvs();
  });
});
