import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceNotFoundException, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { StepflowError } from '../../../core/errors.ts';
import { listen } from '../../private/http.ts';

const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server;

export interface DynamoDbServerProps {
  /** @default 0 (a free port) */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** LevelDB folder, so data outlives the process (e.g. `.stepflow/dynamodb`). @default in memory */
  readonly path?: string;
  /** Tables created when missing. @default [] */
  readonly tables?: readonly CreateTableCommandInput[];
}

export interface DynamoDbServer {
  /** `http://127.0.0.1:<port>`, the value for AWS_ENDPOINT_URL_DYNAMODB. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * dynalite (DynamoDB on LevelDB) on 127.0.0.1. Tables become ACTIVE on dynalite's next timer turn
 * (createTableMs 0), which a loaded machine can delay past the first request: start waits for it.
 * dynalite has no transactions and no TTL: the store avoids them.
 */
export async function startDynamoDb(props: DynamoDbServerProps = {}): Promise<DynamoDbServer> {
  const host = props.host ?? '127.0.0.1';
  if (props.path) await mkdir(props.path, { recursive: true });
  const server = dynalite({ path: props.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const port = await listen(server, props.port ?? 0, host);
  const url = `http://${host}:${port}`;
  const stop = () =>
    new Promise<void>((resolve, reject) => {
      // dynalite's close also closes LevelDB, which a later start on the same path needs.
      server.close((error?: Error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
  try {
    await ensureTables(url, props.tables ?? []);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, close: stop };
}

async function ensureTables(endpoint: string, tables: readonly CreateTableCommandInput[]): Promise<void> {
  if (tables.length === 0) return;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    for (const table of tables) {
      try {
        await client.send(new DescribeTableCommand({ TableName: table.TableName }));
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) throw error;
        await client.send(new CreateTableCommand(table));
        await untilActive(client, table.TableName!);
      }
    }
  } finally {
    client.destroy();
  }
}

/** Until DescribeTable says ACTIVE: a request to a CREATING table answers ResourceNotFoundException. */
async function untilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new StepflowError(`table ${tableName} did not become ACTIVE`, { code: 'table_not_active' });
}
