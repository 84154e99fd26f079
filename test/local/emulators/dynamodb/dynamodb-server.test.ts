import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createTableInput } from '../../../../functions/shared/table-schema.ts';
import { startDynamoDb } from '../../../../local/emulators/dynamodb/dynamodb-server.ts';

const client = (endpoint: string) => new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

describe('dynamodb server', () => {
  it('creates the table when missing and keeps items on disk across a restart', async () => {
    // GIVEN dynalite on a data folder, with the stack's table
    const path = join(mkdtempSync(join(tmpdir(), 'stepflow-ddb-')), 'dynamodb');
    const tables = [createTableInput('stepflow')];
    const first = await startDynamoDb({ path, tables });
    const writer = client(first.url);
    await writer.send(new PutItemCommand({ TableName: 'stepflow', Item: { pk: { S: 'a' }, sk: { S: 'b' }, v: { N: '1' } } }));
    writer.destroy();
    await first.close();

    // WHEN it starts again on the same folder (the table exists: no second CreateTable)
    const second = await startDynamoDb({ path, tables });
    const reader = client(second.url);
    try {
      const { Item } = await reader.send(new GetItemCommand({ TableName: 'stepflow', Key: { pk: { S: 'a' }, sk: { S: 'b' } } }));

      // THEN the item is still there
      expect(Item?.v).toEqual({ N: '1' });
    } finally {
      reader.destroy();
      await second.close();
    }
  });
});
