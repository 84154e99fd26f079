import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTableInput } from '../../functions/shared/table-schema.ts';

type DynaliteFactory = (options: { createTableMs?: number; path?: string }) => Server;
// dynalite ships no type declarations; load it as the CommonJS module it is.
const dynalite = createRequire(import.meta.url)('dynalite') as DynaliteFactory;

/** Dummy credentials and region, so the SDK never looks for real ones. */
export function useDummyAwsEnv(): void {
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
  process.env.AWS_REGION = 'us-east-1';
}

export interface LocalDynamo {
  readonly endpoint: string;
  close(): Promise<void>;
}

/** An in-memory dynalite server on 127.0.0.1, on a free port; AWS_ENDPOINT_URL_DYNAMODB points at it. */
export async function startDynalite(): Promise<LocalDynamo> {
  useDummyAwsEnv();
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoint;
  return {
    endpoint,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

const WRITE_COMMANDS = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);

export interface CountingDocumentClient {
  readonly client: DynamoDBDocumentClient;
  /** Write requests sent so far (successful or not: a failed conditional write is still a request). */
  writes(): number;
}

/** A document client on the endpoint that counts every write request it sends. */
export function countingDocumentClient(endpoint: string): CountingDocumentClient {
  let writes = 0;
  const base = new DynamoDBClient({ endpoint, region: 'us-east-1' });
  base.middlewareStack.add(
    (next, context) => async (args) => {
      if (WRITE_COMMANDS.has(context.commandName ?? '')) writes++;
      return next(args);
    },
    { step: 'initialize', name: 'countWrites' },
  );
  const client = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
  return { client, writes: () => writes };
}

let tableSeq = 0;

/** Creates a fresh table (its own name) with the production schema. */
export async function createExecutionsTable(endpoint: string): Promise<string> {
  const tableName = `executions-${process.pid}-${++tableSeq}`;
  await new DynamoDBClient({ endpoint, region: 'us-east-1' }).send(new CreateTableCommand(createTableInput(tableName)));
  return tableName;
}
