import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE_KEYS } from '../../core/contracts/table-keys.ts';
import type { FlagValue } from '../../core/contracts/trigger-condition.ts';
import type { FlagRecord, FlagStore } from './flag-store.ts';

const FLAG_SK = 'FLAG';

export interface DynamoDbFlagStoreProps {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** @default () => new Date() */
  readonly clock?: () => Date;
}

/** FlagStore on the single table: one item per flag, `pk = FLAG#<name>`, `sk = FLAG`; last write wins. */
export class DynamoDbFlagStore implements FlagStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly clock: () => Date;

  constructor(props: DynamoDbFlagStoreProps) {
    this.client = props.client;
    this.tableName = props.tableName;
    this.clock = props.clock ?? (() => new Date());
  }

  async getFlag(name: string): Promise<FlagValue | undefined> {
    return (await this.getFlagRecord(name))?.value;
  }

  async getFlagRecord(name: string): Promise<FlagRecord | undefined> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: flagKey(name), ConsistentRead: true }));
    if (!result.Item) return undefined;
    return { name, value: result.Item.value as FlagValue, updatedAt: result.Item.updatedAt as string };
  }

  async setFlag(name: string, value: FlagValue): Promise<FlagRecord> {
    const record: FlagRecord = { name, value, updatedAt: this.clock().toISOString() };
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...flagKey(name), ...record } }));
    return record;
  }
}

function flagKey(name: string): Record<string, string> {
  return { [TABLE_KEYS.partitionKey]: `FLAG#${name}`, [TABLE_KEYS.sortKey]: FLAG_SK };
}
