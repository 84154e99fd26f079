import { DescribeExecutionCommand, ListStateMachinesCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * Runs against a stack deployed to LocalStack with `cdklocal deploy`. LocalStack needs Docker and an
 * auth token, so this suite only runs where LOCALSTACK_ENDPOINT is set; it is reported as skipped
 * otherwise, and fails when the endpoint is set but LocalStack is not healthy.
 */
const endpoint = process.env.LOCALSTACK_ENDPOINT;
const SKIP_REASON = 'LOCALSTACK_ENDPOINT is unset (LocalStack needs Docker): suite skipped';
if (!endpoint) console.warn(SKIP_REASON);

const clientConfig = {
  endpoint,
  region: process.env.AWS_REGION ?? 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
};

describe.skipIf(!endpoint)('the stack deployed to LocalStack', () => {
  const sfn = new SFNClient(clientConfig);
  const dynamodb = new DynamoDBClient(clientConfig);
  let machines: Record<string, string> = {};

  beforeAll(async () => {
    const health = await fetch(`${endpoint}/_localstack/health`);
    expect(health.ok, `LocalStack at ${endpoint} is not healthy (HTTP ${health.status})`).toBe(true);
    const { stateMachines = [] } = await sfn.send(new ListStateMachinesCommand({}));
    machines = Object.fromEntries(stateMachines.map((m) => [m.name!, m.stateMachineArn!]));
  });

  it('has a state machine for every example workflow', () => {
    for (const workflow of ['order_pipeline', 'sales_report', 'resilient_import', 'daily_backup']) {
      expect(Object.keys(machines).some((name) => name.endsWith(workflow)), `no state machine for ${workflow}`).toBe(true);
    }
  });

  it('runs order_pipeline to SUCCEEDED with one result per task', async () => {
    const arn = Object.entries(machines).find(([name]) => name.endsWith('order_pipeline'))![1];
    const { executionArn } = await sfn.send(new StartExecutionCommand({
      stateMachineArn: arn,
      input: JSON.stringify({ orderId: 'ls-1', amount: 12, email: 'ada@example.com' }),
    }));
    let status = 'RUNNING';
    let output = '{}';
    for (let i = 0; i < 60 && status === 'RUNNING'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      status = described.status!;
      output = described.output ?? '{}';
    }
    expect(status).toBe('SUCCEEDED');
    expect(Object.keys(JSON.parse(output)).sort()).toEqual(['charge_payment', 'send_receipt', 'ship_order', 'validate_order']);
  });

  it('created the execution-state table', async () => {
    const { TableNames = [] } = await dynamodb.send(new ListTablesCommand({}));
    expect(TableNames.length).toBeGreaterThan(0);
  });
});
