import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE_KEYS } from '../../core/contracts/table-keys.ts';
import type { TriggerCondition } from '../../core/contracts/trigger-condition.ts';
import type { FireClaim, FiresOptions, ListSchedulesOptions, ScheduleStore } from './schedule-store.ts';
import type { FireOutcome, FireRecord, ScheduleRecord } from '../../core/contracts/schedule-record.ts';

/** Every schedule lives in one partition, sorted by id (`<workflow>.<name>`): listing is one Query. */
const SCHEDULES_PK = 'SCHEDULES';
const FIRE_PK_PREFIX = 'FIRE#';
const DEFAULT_FIRES_LIMIT = 20;
/** Lambda's longest timeout: a claim older than this belongs to a dispatcher that is gone. */
const DEFAULT_CLAIM_LEASE_MS = 15 * 60 * 1000;

type Item = Record<string, unknown>;

export interface DynamoDbScheduleStoreProps {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /**
   * How long a `pending` claim holds its slot; after that another dispatcher may claim it again (the one
   * that claimed it died before recording an outcome). The deterministic execution name still keeps a
   * second start from running twice.
   * @default 900000 (15 minutes, Lambda's longest timeout)
   */
  readonly claimLeaseMs?: number;
}

/**
 * ScheduleStore on the single table. Schedules: `pk = SCHEDULES`, `sk = <scheduleId>` (schedule ids start
 * with `<workflow>.` and workflow names hold no dots, so one workflow's schedules are a `begins_with` range).
 * Fires: `pk = FIRE#<scheduleId>`, `sk = <scheduledTime ISO>[#<eventId>]`, newest first by sort key.
 * The one table's partition for schedules stays small: `max_jobs` caps it per workflow.
 */
export class DynamoDbScheduleStore implements ScheduleStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly claimLeaseMs: number;

  constructor(props: DynamoDbScheduleStoreProps) {
    this.client = props.client;
    this.tableName = props.tableName;
    this.claimLeaseMs = props.claimLeaseMs ?? DEFAULT_CLAIM_LEASE_MS;
  }

  async put(record: ScheduleRecord): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: toScheduleItem(record) }));
  }

  async create(record: ScheduleRecord): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toScheduleItem(record),
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async get(scheduleId: string): Promise<ScheduleRecord | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: scheduleKey(scheduleId), ConsistentRead: true }),
    );
    return result.Item ? toScheduleRecord(result.Item) : undefined;
  }

  async list(options: ListSchedulesOptions = {}): Promise<ScheduleRecord[]> {
    const items = await this.queryAll(options.workflow, false);
    return items.map(toScheduleRecord);
  }

  async delete(scheduleId: string): Promise<boolean> {
    const result = await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: scheduleKey(scheduleId), ReturnValues: 'ALL_OLD' }),
    );
    return result.Attributes !== undefined;
  }

  async count(workflow: string): Promise<number> {
    return (await this.queryAll(workflow, true)).length;
  }

  async claimFire(claim: FireClaim): Promise<boolean> {
    const leaseExpired = new Date(Date.parse(claim.actualTime) - this.claimLeaseMs).toISOString();
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toFireItem({ ...claim, latenessMs: lateness(claim), outcome: 'pending' }),
          // Free slot, a failed fire (its retry), or a claim whose dispatcher is gone.
          ConditionExpression:
            'attribute_not_exists(#pk) OR #outcome = :failed OR (#outcome = :pending AND #actual < :leaseExpired)',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey, '#outcome': 'outcome', '#actual': 'actualTime' },
          ExpressionAttributeValues: { ':failed': 'failed', ':pending': 'pending', ':leaseExpired': leaseExpired },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async recordFire(fire: FireRecord): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: toFireItem(fire) }));
  }

  async fires(scheduleId: string, options: FiresOptions = {}): Promise<FireRecord[]> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey },
        ExpressionAttributeValues: { ':pk': `${FIRE_PK_PREFIX}${scheduleId}` },
        ScanIndexForward: false,
        Limit: options.limit ?? DEFAULT_FIRES_LIMIT,
        ConsistentRead: true,
      }),
    );
    return (result.Items ?? []).map(toFireRecord);
  }

  /** Every schedule item of one workflow (or all), following pages. */
  private async queryAll(workflow: string | undefined, keysOnly: boolean): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: workflow === undefined ? '#pk = :pk' : '#pk = :pk AND begins_with(#sk, :prefix)',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey, ...(workflow === undefined ? {} : { '#sk': TABLE_KEYS.sortKey }) },
          ExpressionAttributeValues: { ':pk': SCHEDULES_PK, ...(workflow === undefined ? {} : { ':prefix': `${workflow}.` }) },
          ...(keysOnly ? { ProjectionExpression: '#pk' } : {}),
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(result.Items ?? []));
      startKey = result.LastEvaluatedKey;
    } while (startKey);
    return items;
  }
}

function scheduleKey(scheduleId: string): Item {
  return { [TABLE_KEYS.partitionKey]: SCHEDULES_PK, [TABLE_KEYS.sortKey]: scheduleId };
}

function fireKey(fire: { scheduleId: string; scheduledTime: string; eventId?: string }): Item {
  return {
    [TABLE_KEYS.partitionKey]: `${FIRE_PK_PREFIX}${fire.scheduleId}`,
    [TABLE_KEYS.sortKey]: fire.eventId === undefined ? fire.scheduledTime : `${fire.scheduledTime}#${fire.eventId}`,
  };
}

function lateness(fire: { scheduledTime: string; actualTime: string }): number {
  return Date.parse(fire.actualTime) - Date.parse(fire.scheduledTime);
}

function toScheduleItem(record: ScheduleRecord): Item {
  return {
    ...scheduleKey(record.scheduleId),
    scheduleId: record.scheduleId,
    workflow: record.workflow,
    expression: record.expression,
    timezone: record.timezone,
    // JSON text: any JSON value round-trips (the document client would refuse empty sets and the like).
    input: JSON.stringify(record.input ?? null),
    enabled: record.enabled,
    ...(record.catchup ? { catchup: true } : {}),
    origin: record.origin,
    ...(record.condition ? { condition: JSON.stringify(record.condition) } : {}),
    ...(record.source !== undefined ? { source: record.source } : {}),
    createdAt: record.createdAt,
  };
}

function toScheduleRecord(item: Item): ScheduleRecord {
  return {
    scheduleId: item.scheduleId as string,
    workflow: item.workflow as string,
    expression: item.expression as string,
    timezone: item.timezone as string,
    input: JSON.parse(item.input as string) as unknown,
    enabled: item.enabled as boolean,
    ...(item.catchup ? { catchup: true } : {}),
    origin: item.origin as ScheduleRecord['origin'],
    ...(item.condition !== undefined ? { condition: JSON.parse(item.condition as string) as TriggerCondition } : {}),
    ...(item.source !== undefined ? { source: item.source as string } : {}),
    createdAt: item.createdAt as string,
  };
}

function toFireItem(fire: FireRecord): Item {
  return {
    ...fireKey(fire),
    scheduleId: fire.scheduleId,
    scheduledTime: fire.scheduledTime,
    actualTime: fire.actualTime,
    latenessMs: fire.latenessMs,
    outcome: fire.outcome,
    ...(fire.reason !== undefined ? { reason: fire.reason } : {}),
    ...(fire.executionId !== undefined ? { executionId: fire.executionId } : {}),
    ...(fire.eventId !== undefined ? { eventId: fire.eventId } : {}),
  };
}

function toFireRecord(item: Item): FireRecord {
  return {
    scheduleId: item.scheduleId as string,
    scheduledTime: item.scheduledTime as string,
    actualTime: item.actualTime as string,
    latenessMs: item.latenessMs as number,
    outcome: item.outcome as FireOutcome,
    ...(item.reason !== undefined ? { reason: item.reason as string } : {}),
    ...(item.executionId !== undefined ? { executionId: item.executionId as string } : {}),
    ...(item.eventId !== undefined ? { eventId: item.eventId as string } : {}),
  };
}
