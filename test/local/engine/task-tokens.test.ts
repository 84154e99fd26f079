import { fileURLToPath } from 'node:url';
import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient, TaskTimedOut } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../../core/compiler/compile.ts';
import type { WorkflowPlan } from '../../../core/compiler/plan.ts';
import { WAIT_FOR_TOKEN_RESOURCE } from '../../../core/compiler/states/gate.ts';
import { startSfnServer, type SfnServer } from '../../../local/emulators/stepfunctions/sfn-server.ts';
import { LocalEngine } from '../../../local/engine/local-engine.ts';
import { loadDefinitionText } from '../../../project/definition-files.ts';
import { tokensSeen } from '../fixtures/handlers/token-keeper.ts';
import { plan } from '../fixtures/plans.ts';

const DEFINITIONS = fileURLToPath(new URL('../fixtures/definitions/', import.meta.url));

function compiled(yaml: string): WorkflowPlan {
  const { definition, diagnostics } = loadDefinitionText(yaml, `${DEFINITIONS}gated.yaml`);
  if (!definition) throw new Error(JSON.stringify(diagnostics));
  return compileWorkflow(definition);
}

/** One `.waitForTaskToken` state whose Lambda keeps the token, then a task reading its result. */
function approval(name: string): WorkflowPlan {
  const specs = [{ name: 'approve', handler: 'token-keeper' }];
  return plan(name, 'approve', {
    approve: {
      Type: 'Task',
      Resource: WAIT_FOR_TOKEN_RESOURCE,
      Parameters: { FunctionName: '${TaskFunction_token-keeper}', Payload: { 'token.$': '$$.Task.Token' } },
      ResultPath: '$.approval',
      End: true,
    },
  }, specs);
}

/** Resolves once the keeper has seen one more token than it had. */
async function nextToken(seen: number): Promise<string> {
  while (tokensSeen.length <= seen) await new Promise((resolve) => setTimeout(resolve, 5));
  return tokensSeen[tokensSeen.length - 1];
}

describe('task tokens offline', () => {
  let engine: LocalEngine;
  let server: SfnServer;
  let sfn: SFNClient;

  beforeAll(async () => {
    engine = new LocalEngine({
      plans: [
        approval('approval'),
        compiled(`workflow:
  name: n_shape
  engine: { type: parallel, dag: gated, max_concurrent_tasks: 2 }
  tasks:
    - { name: a, handler: ../handlers/echo.ts }
    - { name: b, handler: ../handlers/echo.ts }
    - { name: c, handler: ../handlers/echo.ts, depends_on: [a, b] }
    - { name: d, handler: ../handlers/echo.ts, depends_on: [b] }
`),
      ],
    });
    server = await startSfnServer({ engine });
    sfn = new SFNClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });
  afterAll(async () => {
    sfn.destroy();
    await server.close();
    await engine.close();
  });

  it('runs a gated workflow: the coordinator releases each task once its dependencies are done', async () => {
    const done = await engine.wait((await engine.start('n_shape', { batch: 1 })).executionArn);

    expect(done.status).toBe('SUCCEEDED');
    const output = JSON.parse(done.output!);
    // Each task sees the results of what it depends on, no more: d does not wait for a.
    expect(Object.fromEntries(Object.entries(output).map(([task, r]) => [task, (r as { upstream: string[] }).upstream]))).toEqual({
      a: [], b: [], c: ['a', 'b'], d: ['b'],
    });
    expect(output.c.input).toEqual({ batch: 1 });
  });

  it('ends a .waitForTaskToken state with SendTaskSuccess, through the Step Functions emulator', async () => {
    const seen = tokensSeen.length;
    const { executionArn } = await engine.start('approval', { order: 7 });
    const token = await nextToken(seen);
    expect(engine.describe(executionArn).status).toBe('RUNNING');

    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ approved: true }) }));

    const done = await engine.wait(executionArn);
    expect(done).toMatchObject({ status: 'SUCCEEDED' });
    expect(JSON.parse(done.output!)).toEqual({ order: 7, approval: { approved: true } });
    // The task no longer waits: the token answers TaskTimedOut, as on AWS.
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('fails the state with the error and cause given to SendTaskFailure', async () => {
    const seen = tokensSeen.length;
    const { executionArn } = await engine.start('approval', {});
    const token = await nextToken(seen);

    await sfn.send(new SendTaskFailureCommand({ taskToken: token, error: 'Rejected', cause: 'not this month' }));

    expect(await engine.wait(executionArn)).toMatchObject({ status: 'FAILED', error: 'Rejected', cause: 'not this month' });
  });
});
