import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalEngine } from '../../../../local/engine/local-engine.ts';
import { startSfnServer, type SfnServer } from '../../../../local/emulators/stepfunctions/sfn-server.ts';
import { sequential } from '../../fixtures/plans.ts';

const QUICK = 'arn:aws:states:us-east-1:000000000000:stateMachine:quick';
const SLOW = 'arn:aws:states:us-east-1:000000000000:stateMachine:slow';

describe('SFN server', () => {
  let engine: LocalEngine;
  let server: SfnServer;
  let sfn: SFNClient;

  beforeAll(async () => {
    engine = new LocalEngine({
      plans: [sequential('quick', [{ name: 'only', handler: 'echo' }]), sequential('slow', [{ name: 'wait_forever', handler: 'hang' }])],
    });
    server = await startSfnServer({ engine, recordCalls: true });
    sfn = new SFNClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });

  afterAll(async () => {
    sfn.destroy();
    await server.close();
    await engine.close();
  });

  it('starts an execution and describes it once it has succeeded', async () => {
    const { executionArn, startDate } = await sfn.send(new StartExecutionCommand({ stateMachineArn: QUICK, name: 'describe-me', input: '{"n":1}' }));
    await engine.wait(executionArn!);

    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));

    expect(startDate).toBeInstanceOf(Date);
    expect(described).toMatchObject({ executionArn, stateMachineArn: QUICK, name: 'describe-me', status: 'SUCCEEDED', input: '{"n":1}' });
    expect(described.stopDate).toBeInstanceOf(Date);
    expect(JSON.parse(described.output!).only.input).toEqual({ n: 1 });
  });

  it('returns the same execution for the same name and input while it runs, and ExecutionAlreadyExists for another input', async () => {
    const first = await sfn.send(new StartExecutionCommand({ stateMachineArn: SLOW, name: 'idem', input: '{"a":1}' }));

    const again = await sfn.send(new StartExecutionCommand({ stateMachineArn: SLOW, name: 'idem', input: '{"a":1}' }));

    expect(again.executionArn).toBe(first.executionArn);
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: SLOW, name: 'idem', input: '{"a":2}' }))).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('stops a running execution, which is then ABORTED', async () => {
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: SLOW, name: 'stop-me' }));

    const { stopDate } = await sfn.send(new StopExecutionCommand({ executionArn, error: 'Cancelled', cause: 'test' }));
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));

    expect(stopDate).toBeInstanceOf(Date);
    expect(described).toMatchObject({ status: 'ABORTED', error: 'Cancelled', cause: 'test' });
  });

  it('lists executions by state machine and status, and the state machines', async () => {
    const { executions } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: SLOW, statusFilter: 'ABORTED' }));
    const { stateMachines } = await sfn.send(new ListStateMachinesCommand({}));

    expect(executions!.map((e) => e.name)).toEqual(['stop-me']);
    expect(stateMachines!.map((m) => [m.name, m.stateMachineArn, m.type])).toEqual([
      ['quick', QUICK, 'STANDARD'],
      ['slow', SLOW, 'STANDARD'],
    ]);
  });

  it('answers ExecutionDoesNotExist for an unknown execution and StateMachineDoesNotExist for an unknown state machine', async () => {
    const unknown = 'arn:aws:states:us-east-1:000000000000:execution:quick:never-started';

    await expect(sfn.send(new DescribeExecutionCommand({ executionArn: unknown }))).rejects.toBeInstanceOf(ExecutionDoesNotExist);
    await expect(sfn.send(new StopExecutionCommand({ executionArn: unknown }))).rejects.toBeInstanceOf(ExecutionDoesNotExist);
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:missing' })),
    ).rejects.toBeInstanceOf(StateMachineDoesNotExist);
  });

  it('answers the wire error shape with status 400', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.DescribeExecution' },
      body: JSON.stringify({ executionArn: 'arn:aws:states:us-east-1:000000000000:execution:quick:nope' }),
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ __type: 'ExecutionDoesNotExist', message: "Execution Does Not Exist: 'arn:aws:states:us-east-1:000000000000:execution:quick:nope'" });
  });

  it('answers its own client errors with their wire codes: InvalidArn, ValidationException', async () => {
    const call = async (body: unknown) => {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.StartExecution' },
        body: JSON.stringify(body),
      });
      return { status: response.status, errorType: response.headers.get('x-amzn-errortype'), body: (await response.json()) as { __type: string } };
    };

    expect(await call({ stateMachineArn: 'not-an-arn' })).toMatchObject({ status: 400, errorType: 'InvalidArn', body: { __type: 'InvalidArn' } });
    expect(await call({})).toMatchObject({ status: 400, errorType: 'ValidationException', body: { __type: 'ValidationException' } });
  });

  it('answers an injected fault once in place of the operation, and records the calls', async () => {
    server.failNext('StartExecution', { code: 'ServiceUnavailable', message: 'try later' });

    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: QUICK, name: 'after-fault' }))).rejects.toMatchObject({ name: 'ServiceUnavailable', message: 'try later' });
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: QUICK, name: 'after-fault' }));

    expect(server.calls.slice(-2)).toEqual([
      { operation: 'StartExecution', input: { stateMachineArn: QUICK, name: 'after-fault' }, error: { code: 'ServiceUnavailable', message: 'try later' } },
      { operation: 'StartExecution', input: { stateMachineArn: QUICK, name: 'after-fault' }, output: { executionArn: started.executionArn, startDate: started.startDate!.getTime() / 1000 } },
    ]);
    expect(engine.list({ workflow: 'quick' }).filter((e) => e.name === 'after-fault')).toHaveLength(1);
  });
});
