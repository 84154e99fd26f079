import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListStateMachinesCommand,
  RedriveExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StopExecutionCommand,
  type DescribeExecutionCommandOutput,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Redrive and an Express workflow against the stack deployed to LocalStack (see deployed-stack.test.ts for
 * how it is deployed). Skipped where LOCALSTACK_ENDPOINT is unset; fails when it is set but LocalStack is
 * unhealthy, and when that LocalStack does not implement RedriveExecution (its error names the operation).
 */
const endpoint = process.env.LOCALSTACK_ENDPOINT;
const SKIP_REASON = 'LOCALSTACK_ENDPOINT is unset (LocalStack needs Docker): suite skipped';
if (!endpoint) console.warn(SKIP_REASON);

const clientConfig = {
  endpoint,
  region: process.env.AWS_REGION ?? 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
};

const ORDER = { orderId: 'ls-redrive', amount: 12, email: 'ada@example.com' };
const ORDER_TASKS = ['charge_payment', 'send_receipt', 'ship_order', 'validate_order'];

describe.skipIf(!endpoint)('redrive and Express workflows on LocalStack', () => {
  const sfn = new SFNClient(clientConfig);
  let orderPipeline: string;
  const created: string[] = [];

  async function ended(executionArn: string): Promise<DescribeExecutionCommandOutput> {
    for (let i = 0; i < 90; i++) {
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      if (described.status !== 'RUNNING') return described;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    throw new Error(`${executionArn} still RUNNING after 90 s`);
  }

  beforeAll(async () => {
    const health = await fetch(`${endpoint}/_localstack/health`);
    expect(health.ok, `LocalStack at ${endpoint} is not healthy (HTTP ${health.status})`).toBe(true);
    const { stateMachines = [] } = await sfn.send(new ListStateMachinesCommand({}));
    const found = stateMachines.find((m) => m.name!.endsWith('order_pipeline') && m.type === 'STANDARD');
    expect(found, 'no STANDARD state machine for order_pipeline: deploy the stack with cdklocal first').toBeDefined();
    orderPipeline = found!.stateMachineArn!;
  });

  afterAll(async () => {
    for (const arn of created) await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: arn })).catch(() => undefined);
    sfn.destroy();
  });

  it('redrives an aborted order_pipeline execution to SUCCEEDED, under the same ARN, with redriveCount 1', async () => {
    // GIVEN an execution stopped while its first task runs (ABORTED is redrivable)
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: orderPipeline, input: JSON.stringify(ORDER) }));
    await sfn.send(new StopExecutionCommand({ executionArn, error: 'Stopped', cause: 'stopped by the LocalStack suite' }));
    const stopped = await ended(executionArn!);
    expect(stopped.status, `the execution ended ${stopped.status} before it could be stopped`).toBe('ABORTED');

    // WHEN it is redriven
    const { redriveDate } = await sfn.send(new RedriveExecutionCommand({ executionArn }));

    // THEN it runs again and succeeds, every task having a result
    const done = await ended(executionArn!);
    expect(redriveDate).toBeInstanceOf(Date);
    expect(done).toMatchObject({ executionArn, status: 'SUCCEEDED', redriveCount: 1 });
    expect(Object.keys(JSON.parse(done.output ?? '{}')).sort()).toEqual(ORDER_TASKS);
    const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    expect(events.some((e) => e.type === 'ExecutionRedriven')).toBe(true);
    // AND a succeeded execution cannot be redriven
    await expect(sfn.send(new RedriveExecutionCommand({ executionArn }))).rejects.toMatchObject({ name: 'ExecutionNotRedrivable' });
  });

  it('runs the compiled order_pipeline as an Express workflow with StartSyncExecution, its tasks on the deployed Lambdas', async () => {
    // GIVEN an Express state machine with the deployed definition (its Lambda ARNs resolved) and role
    const standard = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: orderPipeline }));
    // Express executions last at most five minutes (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-standard-vs-express.html).
    const definition = { ...JSON.parse(standard.definition!), TimeoutSeconds: 300 };
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({ name: `stepflow-ls-express-${Date.now()}`, type: 'EXPRESS', definition: JSON.stringify(definition), roleArn: standard.roleArn }),
    );
    created.push(stateMachineArn!);

    // WHEN an execution is run synchronously
    const result = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn, input: JSON.stringify({ ...ORDER, orderId: 'ls-express' }) }));

    // THEN it succeeded with one result per task, under an Express execution ARN
    expect(result.status, `${result.error}: ${result.cause}`).toBe('SUCCEEDED');
    expect(result.executionArn).toContain(':express:');
    const output = JSON.parse(result.output ?? '{}');
    expect(Object.keys(output).sort()).toEqual(ORDER_TASKS);
    expect(output.validate_order).toMatchObject({ orderId: 'ls-express', valid: true });
    // AND an Express execution cannot be redriven
    await expect(sfn.send(new RedriveExecutionCommand({ executionArn: result.executionArn }))).rejects.toBeDefined();
  });
});
