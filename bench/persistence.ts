/**
 * Recording cost: executions/s recorded in dynalite (the API's create, then the recorder's RUNNING and
 * final status, with the 10-task DAG running on the LocalEngine in between) against what the store
 * itself allows: dynalite's own PutItem ops/s for items of the same shape (both indexes maintained), in
 * the same run, ÷ write requests per execution. The engine journals every task outcome (fsync) as the
 * dev stack's does, so the figure includes what durable executions cost.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbExecutionStore } from '../functions/executions/dynamodb-execution-store.ts';
import { createTableInput } from '../functions/shared/table-schema.ts';
import { createRecorder } from '../functions/recorder/handler.ts';
import { startDynamoDb } from '../local/emulators/dynamodb/dynamodb-server.ts';
import { LocalEngine } from '../local/engine/local-engine.ts';
import { benchPlan, round, throughput } from './engine.ts';

export interface PersistenceFigures {
  readonly executions: number;
  readonly recordedExecutionsPerSecond: number;
  readonly putItemOpsPerSecond: number;
  /** Write requests per execution, conditional ones that changed nothing included. */
  readonly writesPerExecution: number;
  /** Writes that changed an item. */
  readonly appliedWritesPerExecution: number;
  /** recorded ÷ (putItem ÷ writesPerExecution); goal ≥ 0.8. */
  readonly ratio: number;
}

const WRITE_COMMANDS = new Set(['PutCommand', 'UpdateCommand', 'DeleteCommand', 'PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand']);

/** With `journal: false`, the engine keeps no journal (executions would not survive the process). @default journal true */
export async function persistenceBench(options: { executions?: number; concurrency?: number; journal?: boolean } = {}): Promise<PersistenceFigures> {
  const executions = options.executions ?? 300;
  const concurrency = options.concurrency ?? 10;
  const tableName = 'bench';
  const dynamodb = await startDynamoDb({ tables: [createTableInput(tableName)] });
  const raw = new DynamoDBClient({ endpoint: dynamodb.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  let writes = 0;
  let applied = 0;
  client.middlewareStack.add((next, context) => async (args) => {
    if (!WRITE_COMMANDS.has(context.commandName ?? '')) return next(args);
    writes++;
    const result = await next(args);
    applied++;
    return result;
  }, { step: 'initialize', name: 'countWrites' });

  const store = new DynamoDbExecutionStore({ client, tableName });
  const plan = benchPlan();
  let recorder: (event: unknown) => Promise<unknown> = async () => undefined;
  const journalDir = mkdtempSync(join(tmpdir(), 'stepflow-persistence-'));
  const engine = new LocalEngine({ plans: [plan], journalDir: options.journal === false ? undefined : journalDir, onStatusChange: (event) => recorder(event).then(() => undefined) });
  const stateMachineArn = engine.stateMachineArn(plan.name);
  recorder = createRecorder({ store, workflows: { [plan.name]: { stateMachineArn, mode: 'STANDARD' } }, logger: () => undefined });

  const input = { orderId: 'o-1', amount: 12 };
  const recordOne = async () => {
    const executionId = randomUUID();
    await store.create({
      workflow: plan.name, executionId, executionArn: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionId}`,
      input, inputHash: 'bench', startDate: new Date().toISOString(),
    });
    const started = await engine.start(plan.name, input, { name: executionId });
    await engine.wait(started.executionArn);
  };
  // An item like the ones the store writes (both index keys set, so dynalite maintains both indexes), as one PutItem.
  const putOne = async () => {
    const id = randomUUID();
    const sortKey = `${new Date().toISOString()}#${id}`;
    await raw.send(new PutItemCommand({
      TableName: tableName,
      Item: {
        pk: { S: `${plan.name}#${id}` }, sk: { S: 'execution' }, workflow: { S: plan.name }, executionId: { S: id },
        status: { S: 'SUCCEEDED' }, input: { S: JSON.stringify(input) }, output: { S: '{}' },
        gsi1pk: { S: `${plan.name}#SUCCEEDED` }, gsi1sk: { S: sortKey }, gsi2pk: { S: plan.name }, gsi2sk: { S: sortKey },
      },
    }));
  };

  await throughput(recordOne, 30, concurrency);
  await throughput(putOne, 100, concurrency);
  writes = 0;
  applied = 0;
  const recorded = await throughput(recordOne, executions, concurrency);
  const writesPerExecution = writes / executions;
  const appliedWritesPerExecution = applied / executions;
  const puts = await throughput(putOne, executions * 3, concurrency);

  await engine.close();
  await dynamodb.close();
  rmSync(journalDir, { recursive: true, force: true });
  return {
    executions,
    recordedExecutionsPerSecond: round(recorded),
    putItemOpsPerSecond: round(puts),
    writesPerExecution: round(writesPerExecution, 2),
    appliedWritesPerExecution: round(appliedWritesPerExecution, 2),
    ratio: round(recorded / (puts / writesPerExecution), 3),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify({ journaled: await persistenceBench(), withoutJournal: await persistenceBench({ journal: false }) }, null, 2));
}
