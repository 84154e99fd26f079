import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, PutCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE_KEYS } from '../../core/contracts/table-keys.ts';
import type { CoordinatorStore, StoredGates } from './coordinator-store.ts';
import { NO_GATES, type Gates } from './gates.ts';

export interface DynamoDbCoordinatorStoreProps {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** Seconds items are kept (`expiresAt`, for DynamoDB TTL where the table enables it). @default 400 days, past a Standard execution's year */
  readonly keepSeconds?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

const STATE_SK = 'STATE';
/** BatchGetItem reads at most 100 keys a request. */
const BATCH = 100;
const DEFAULT_KEEP_SECONDS = 400 * 24 * 3600;

/**
 * CoordinatorStore on the single table, one partition per execution (`pk = GATES#<execution ARN>`): the
 * gates (`sk = STATE`, a version number and the gates as JSON), saved with a conditional write on the
 * version, so concurrent calls never overwrite each other's decisions; each gate's token
 * (`sk = TOKEN#<task>`) and each task's output (`sk = OUTPUT#<task>`, JSON: results may nest deeper than
 * DynamoDB's 32 levels) in items of their own. Reads are strongly consistent.
 */
export class DynamoDbCoordinatorStore implements CoordinatorStore {
  constructor(private readonly props: DynamoDbCoordinatorStoreProps) {}

  async load(execution: string): Promise<StoredGates> {
    const { Item } = await this.props.client.send(new GetCommand({ TableName: this.props.tableName, Key: key(execution, STATE_SK), ConsistentRead: true }));
    if (!Item) return { gates: NO_GATES, version: 0 };
    return { gates: JSON.parse(Item.gates as string) as Gates, version: Item.version as number };
  }

  async save(execution: string, gates: Gates, version: number): Promise<boolean> {
    try {
      await this.props.client.send(
        new PutCommand({
          TableName: this.props.tableName,
          Item: { ...key(execution, STATE_SK), gates: JSON.stringify(gates), version: version + 1, expiresAt: this.expiresAt() },
          ...(version === 0
            ? { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey } }
            : { ConditionExpression: '#version = :version', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':version': version } }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async putToken(execution: string, task: string, token: string): Promise<void> {
    await this.put(execution, `TOKEN#${task}`, { token });
  }

  async getToken(execution: string, task: string): Promise<string | undefined> {
    const { Item } = await this.props.client.send(new GetCommand({ TableName: this.props.tableName, Key: key(execution, `TOKEN#${task}`), ConsistentRead: true }));
    return Item?.token as string | undefined;
  }

  async putOutput(execution: string, task: string, output: Record<string, unknown>): Promise<void> {
    await this.put(execution, `OUTPUT#${task}`, { task, output: JSON.stringify(output) });
  }

  async getOutputs(execution: string, tasks: readonly string[]): Promise<Record<string, Record<string, unknown>>> {
    const found: Record<string, Record<string, unknown>> = {};
    const table = this.props.tableName;
    for (let i = 0; i < tasks.length; i += BATCH) {
      let keys: Record<string, unknown>[] | undefined = [...new Set(tasks.slice(i, i + BATCH))].map((t) => key(execution, `OUTPUT#${t}`));
      // Unprocessed keys (throttling, the 16 MB response cap) are asked again.
      while (keys && keys.length > 0) {
        const result: BatchGetCommandOutput = await this.props.client.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }));
        for (const item of result.Responses?.[table] ?? []) found[item.task as string] = JSON.parse(item.output as string) as Record<string, unknown>;
        keys = result.UnprocessedKeys?.[table]?.Keys;
      }
    }
    return found;
  }

  private async put(execution: string, sk: string, attributes: Record<string, unknown>): Promise<void> {
    await this.props.client.send(new PutCommand({ TableName: this.props.tableName, Item: { ...key(execution, sk), ...attributes, expiresAt: this.expiresAt() } }));
  }

  private expiresAt(): number {
    return Math.floor((this.props.now ?? Date.now)() / 1000) + (this.props.keepSeconds ?? DEFAULT_KEEP_SECONDS);
  }
}

function key(execution: string, sk: string): Record<string, string> {
  return { [TABLE_KEYS.partitionKey]: `GATES#${execution}`, [TABLE_KEYS.sortKey]: sk };
}
