import { DynamoDbApprovalStore } from '../../functions/approvals/dynamodb-approval-store.ts';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createApiHandler } from '../../functions/api/handler.ts';
import type { ApiDeps } from '../../functions/api/deps.ts';
import { InputValidator } from '../../functions/executions/input-validator.ts';
import { SfnHistoryReader } from '../../functions/executions/execution-history.ts';
import { SfnExecutionRunner } from '../../functions/executions/sfn-execution-runner.ts';
import type { WorkflowConfig } from '../../core/contracts/workflow-entry.ts';
import { DynamoDbExecutionStore } from '../../functions/executions/dynamodb-execution-store.ts';
import type { Logger } from '../../functions/shared/logger.ts';
import { stateMachineArn } from '../../local/engine/arn.ts';
import { LocalEngine } from '../../local/engine/local-engine.ts';
import { startSfnServer, type SfnServer } from '../../local/emulators/stepfunctions/sfn-server.ts';
import { countingDocumentClient, createExecutionsTable, startDynalite, type LocalDynamo } from './dynalite.ts';
import { parkedWorkflow } from './parked-workflow.ts';
import { proxyEvent } from './proxy-event.ts';

export const ORDERS_ARN = stateMachineArn('orders');

/** Workflows the API tests deploy: one with an input schema, one without, one Express. */
export const TEST_WORKFLOWS: Record<string, WorkflowConfig> = {
  orders: {
    stateMachineArn: ORDERS_ARN,
    mode: 'STANDARD',
    inputSchema: {
      type: 'object',
      required: ['orderId', 'amount'],
      properties: { orderId: { type: 'string' }, amount: { type: 'number', minimum: 0 } },
    },
  },
  reports: { stateMachineArn: stateMachineArn('reports'), mode: 'STANDARD' },
  events: { stateMachineArn: stateMachineArn('events'), mode: 'EXPRESS' },
};

export interface ApiStack {
  readonly deps: ApiDeps;
  /** The Step Functions emulator the API starts executions on, recording its calls. */
  readonly sfn: SfnServer;
  /** The engine behind it, running every workflow of TEST_WORKFLOWS parked (see parkedWorkflow); register more as needed. */
  readonly engine: LocalEngine;
  readonly dynamo: LocalDynamo;
  /** The API Lambda handler over these dependencies. */
  readonly handler: ReturnType<typeof createApiHandler>;
  readonly logs: { level: string; message: string; fields?: Record<string, unknown> }[];
  writes(): number;
  /** Calls the handler with a proxy event; the body parsed back from JSON. */
  call(method: string, path: string, body?: unknown, raw?: string): Promise<{ statusCode: number; headers: Record<string, unknown>; body: any }>;
  close(): Promise<void>;
}

/** The API handler over dynalite and the Step Functions emulator, with a fixed clock and predictable ids. */
export async function startApiStack(): Promise<ApiStack> {
  const dynamo = await startDynalite();
  const engine = new LocalEngine({ plans: Object.entries(TEST_WORKFLOWS).map(([name, workflow]) => parkedWorkflow(name, workflow.mode)) });
  const sfn = await startSfnServer({ engine, recordCalls: true });
  const counting = countingDocumentClient(dynamo.endpoint);
  const logs: ApiStack['logs'] = [];
  const logger: Logger = (level, message, fields) => logs.push({ level, message, fields });
  let seq = 0;
  const tableName = await createExecutionsTable(dynamo.endpoint);
  const deps: ApiDeps = {
    store: new DynamoDbExecutionStore({ client: counting.client, tableName }),
    approvals: new DynamoDbApprovalStore({ client: counting.client, tableName }),
    runner: new SfnExecutionRunner(new SFNClient({ endpoint: sfn.url, region: 'us-east-1', disableHostPrefix: true })),
    syncExpress: true,
    history: new SfnHistoryReader(new SFNClient({ endpoint: sfn.url, region: 'us-east-1', disableHostPrefix: true })),
    workflows: TEST_WORKFLOWS,
    clock: () => new Date(Date.UTC(2025, 0, 1, 0, 0, seq)),
    newId: () => `generated-${++seq}`,
    validator: new InputValidator(),
    logger,
  };
  const handler = createApiHandler(deps);
  return {
    deps,
    sfn,
    engine,
    dynamo,
    handler,
    logs,
    writes: counting.writes,
    call: async (method, path, body, raw) => {
      const event: APIGatewayProxyEvent = proxyEvent(method, path, raw ?? (body === undefined ? null : JSON.stringify(body)), {
        'Content-Type': 'application/json',
      });
      const response = await handler(event, {} as never);
      return { statusCode: response.statusCode, headers: response.headers ?? {}, body: response.body ? JSON.parse(response.body) : undefined };
    },
    close: async () => {
      await sfn.close();
      await engine.close();
      await dynamo.close();
    },
  };
}
