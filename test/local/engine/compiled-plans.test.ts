import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../../project/load-project.ts';
import { LocalEngine } from '../../../local/engine/local-engine.ts';

const fixtureDefinitions = fileURLToPath(new URL('../fixtures/definitions', import.meta.url));

describe('LocalEngine on compiled plans', () => {
  const { plans } = loadProject(fixtureDefinitions);
  const engine = new LocalEngine({ plans, retryIntervalMs: 0 });
  afterAll(() => engine.close());

  it('runs a compiled parallel workflow', async () => {
    const done = await engine.wait((await engine.start('greeting', { who: 'Ada' })).executionArn);

    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!).together).toMatchObject({ input: { who: 'Ada' }, upstream: ['hello', 'world'] });
  });

  it('lets a Catch read the Lambda error envelope: a continued task records the error name and message', async () => {
    // GIVEN a task that throws PaymentDeclined with on_failure: continue (Catch → States.StringToJson(Cause))
    // WHEN the workflow runs
    const done = await engine.wait((await engine.start('forgiving', {})).executionArn);

    // THEN the execution succeeds and the failed task's result is { error, cause: errorMessage }
    expect(done.status).toBe('SUCCEEDED');
    const output = JSON.parse(done.output!);
    expect(output.charge).toEqual({ error: 'PaymentDeclined', cause: 'card 4242 was declined' });
    expect(output.report.upstream).toEqual(['charge']);
  });
});
