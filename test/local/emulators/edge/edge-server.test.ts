import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, ListRulesCommand, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import {
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevStack, type DevStack } from '../../../../local/dev-stack.ts';
import { serviceOf } from '../../../../local/emulators/edge/edge-server.ts';

const definitions = fileURLToPath(new URL('../../fixtures/definitions', import.meta.url));
let stack: DevStack;
const sdk = () => ({ region: 'us-east-1', endpoint: stack.awsUrl, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stepflow-edge-'));
  stack = await startDevStack({ definitionsDir: definitions, dataDir, port: 0, servicesPort: 0, retryIntervalMs: 0, log: () => undefined, taskLog: () => undefined });
});
afterAll(async () => stack?.stop());

async function wholeHistory(sfn: SFNClient, executionArn: string, maxResults: number): Promise<{ events: HistoryEvent[]; pages: number }> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults, nextToken }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
    pages += 1;
  } while (nextToken);
  return { events, pages };
}

describe('the one AWS endpoint of the offline stack', () => {
  it('serves Step Functions to the AWS SDK: state machines, their definitions and an execution history', async () => {
    const sfn = new SFNClient(sdk());
    const { stateMachines = [] } = await sfn.send(new ListStateMachinesCommand({}));
    const greeting = stateMachines.find((m) => m.name === 'greeting');
    expect(greeting).toMatchObject({ type: 'STANDARD' });
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: greeting!.stateMachineArn }));
    expect(JSON.parse(described.definition!)).toHaveProperty('States');

    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: greeting!.stateMachineArn, name: 'edge-1', input: '{"who":"Ada"}' }));
    await stack.engine.wait(executionArn!);
    const { events, pages } = await wholeHistory(sfn, executionArn!, 5);

    expect(pages).toBeGreaterThan(1);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]).toMatchObject({ type: 'ExecutionStarted', previousEventId: 0, executionStartedEventDetails: { input: '{"who":"Ada"}' } });
    expect(events.at(-1)).toMatchObject({ type: 'ExecutionSucceeded' });
    expect(events[0].timestamp).toBeInstanceOf(Date);
    for (const task of ['hello', 'world', 'together']) {
      const ofTask = events.filter((e) => e.stateEnteredEventDetails?.name === task || e.stateExitedEventDetails?.name === task);
      expect(ofTask.map((e) => e.type)).toEqual(['TaskStateEntered', 'TaskStateExited']);
    }
    const together = events.filter((e) => e.type!.startsWith('LambdaFunction')).slice(-3);
    expect(together.map((e) => e.type)).toEqual(['LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionSucceeded']);
    expect(together[1].previousEventId).toBe(together[0].id);
  });

  it('records failed attempts as Step Functions does', async () => {
    const sfn = new SFNClient(sdk());
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: stack.engine.stateMachineArn('forgiving'), name: 'edge-2' }));
    await stack.engine.wait(executionArn!);
    const { events } = await wholeHistory(sfn, executionArn!, 100);
    const failed = events.find((e) => e.type === 'LambdaFunctionFailed');
    expect(failed?.lambdaFunctionFailedEventDetails?.error).toBeTruthy();
    const reversed = await sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, includeExecutionData: false }));
    expect(reversed.events?.[0].id).toBe(events.length);
    expect(reversed.events?.at(-1)?.executionStartedEventDetails?.input).toBeUndefined();
  });

  it('serves EventBridge, Scheduler and DynamoDB on the same port', async () => {
    const eventBridge = new EventBridgeClient(sdk());
    const put = await eventBridge.send(new PutEventsCommand({ Entries: [{ Source: 'test', DetailType: 'ping', Detail: '{}', EventBusName: 'stepflow' }] }));
    expect(put.FailedEntryCount).toBe(0);
    expect((await eventBridge.send(new ListRulesCommand({ EventBusName: 'stepflow' }))).Rules).toBeInstanceOf(Array);

    const scheduler = new SchedulerClient(sdk());
    expect((await scheduler.send(new ListSchedulesCommand({ GroupName: 'stepflow' }))).Schedules).toBeInstanceOf(Array);

    const dynamodb = new DynamoDBClient(sdk());
    expect((await dynamodb.send(new ListTablesCommand({}))).TableNames).toContain('stepflow');
  });

  it('tells services apart by target prefix, SigV4 scope or path', () => {
    expect(serviceOf({ 'x-amz-target': 'AWSStepFunctions.ListStateMachines' }, '/')).toBe('sfn');
    expect(serviceOf({ 'x-amz-target': 'DynamoDB_20120810.GetItem' }, '/')).toBe('dynamodb');
    expect(serviceOf({ authorization: 'AWS4-HMAC-SHA256 Credential=local/20250101/us-east-1/scheduler/aws4_request, SignedHeaders=host' }, '/schedules')).toBe('scheduler');
    expect(serviceOf({}, '/schedules/nightly')).toBe('scheduler');
    expect(serviceOf({ 'x-amz-target': 'AmazonSQS.ReceiveMessage' }, '/')).toBe('sqs');
    expect(serviceOf({ authorization: 'AWS4-HMAC-SHA256 Credential=local/20250101/us-east-1/sqs/aws4_request, SignedHeaders=host' }, '/')).toBe('sqs');
    expect(serviceOf({}, '/elsewhere')).toBeUndefined();
  });
});
