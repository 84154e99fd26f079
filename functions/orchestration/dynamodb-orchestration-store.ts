import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SERVICE_KEYS, TABLE_KEYS } from '../../core/contracts/table-keys.ts';
import { CLOSED_BREAKER, type BreakerRecord, type HealthRecord, type MetricsDelta, type OrchestrationStore, type RegisteredInstance, type ServiceState } from './records.ts';

export interface DynamoDbOrchestrationStoreProps {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

const { partitionKey: PK, sortKey: SK } = TABLE_KEYS;

/**
 * OrchestrationStore on the state table: one partition per service (SERVICE_KEYS), read with one
 * strongly consistent Query; health and breaker items written with conditions on their version, so
 * invokers running at once never overwrite each other's transitions
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html).
 */
export class DynamoDbOrchestrationStore implements OrchestrationStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  /** Services this process already put in the catalogue. */
  private readonly catalogued = new Set<string>();

  constructor(props: DynamoDbOrchestrationStoreProps) {
    this.client = props.client;
    this.tableName = props.tableName;
  }

  async readService(service: string): Promise<ServiceState> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': PK },
        ExpressionAttributeValues: { ':pk': SERVICE_KEYS.partition(service) },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);

    const instances: RegisteredInstance[] = [];
    const health: Record<string, HealthRecord> = {};
    let breaker = CLOSED_BREAKER;
    let metrics = { calls: 0, errors: 0, transitions: 0, buckets: {} as Record<number, number> };
    for (const item of items) {
      const sk = item[SK] as string;
      if (sk.startsWith('INSTANCE#')) {
        instances.push({ id: item.id as string, url: item.url as string, weight: item.weight as number, heartbeatAt: item.heartbeatAt as number, ...(item.metadata ? { metadata: item.metadata as Record<string, string> } : {}) });
      } else if (sk.startsWith('HEALTH#')) {
        health[sk.slice('HEALTH#'.length)] = pick(item, ['healthy', 'consecutiveFailures', 'consecutiveSuccesses', 'checkedAt', 'version']) as unknown as HealthRecord;
      } else if (sk === SERVICE_KEYS.breaker) {
        breaker = pick(item, Object.keys(CLOSED_BREAKER)) as unknown as BreakerRecord;
      } else if (sk === SERVICE_KEYS.metrics) {
        const buckets: Record<number, number> = {};
        for (const [key, value] of Object.entries(item)) if (/^b\d+$/.test(key)) buckets[Number(key.slice(1))] = value as number;
        metrics = { calls: (item.calls as number) ?? 0, errors: (item.errors as number) ?? 0, transitions: (item.transitions as number) ?? 0, buckets };
      }
    }
    return { instances, health, breaker, metrics };
  }

  async listServices(): Promise<string[]> {
    const names: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': PK },
        ExpressionAttributeValues: { ':pk': SERVICE_KEYS.catalogue },
        ExclusiveStartKey: start,
      }));
      names.push(...(page.Items ?? []).map((item) => item[SK] as string));
      start = page.LastEvaluatedKey;
    } while (start);
    return names.sort();
  }

  async putInstance(service: string, instance: RegisteredInstance): Promise<void> {
    await Promise.all([
      this.client.send(new PutCommand({ TableName: this.tableName, Item: { [PK]: SERVICE_KEYS.partition(service), [SK]: SERVICE_KEYS.instance(instance.id), ...instance } })),
      this.catalogue(service),
    ]);
  }

  async deleteInstance(service: string, id: string): Promise<boolean> {
    const key = (sk: string) => ({ [PK]: SERVICE_KEYS.partition(service), [SK]: sk });
    const [deleted] = await Promise.all([
      this.client.send(new DeleteCommand({ TableName: this.tableName, Key: key(SERVICE_KEYS.instance(id)), ReturnValues: 'ALL_OLD' })),
      this.client.send(new DeleteCommand({ TableName: this.tableName, Key: key(SERVICE_KEYS.health(id)) })),
    ]);
    return deleted.Attributes !== undefined;
  }

  writeHealth(service: string, id: string, next: HealthRecord): Promise<boolean> {
    return this.compareAndSet(service, SERVICE_KEYS.health(id), next);
  }

  writeBreaker(service: string, next: BreakerRecord): Promise<boolean> {
    return this.compareAndSet(service, SERVICE_KEYS.breaker, next);
  }

  /** One UpdateCommand per batch: ADD is atomic, so batches from every invoker add up. */
  async addMetrics(service: string, delta: MetricsDelta): Promise<void> {
    const buckets = Object.entries(delta.buckets ?? {}).filter(([, n]) => n > 0);
    const names = Object.fromEntries(buckets.map(([bucket], i) => [`#b${i}`, `b${bucket}`]));
    const values = Object.fromEntries(buckets.map(([, n], i) => [`:b${i}`, n]));
    await Promise.all([
      this.client.send(new UpdateCommand({
        TableName: this.tableName,
        Key: { [PK]: SERVICE_KEYS.partition(service), [SK]: SERVICE_KEYS.metrics },
        UpdateExpression: `ADD calls :calls, errors :errors, transitions :transitions${buckets.map((_, i) => `, #b${i} :b${i}`).join('')}`,
        ExpressionAttributeValues: { ':calls': delta.calls, ':errors': delta.errors, ':transitions': delta.transitions, ...values },
        ...(buckets.length ? { ExpressionAttributeNames: names } : {}),
      })),
      this.catalogue(service),
    ]);
  }

  private async compareAndSet(service: string, sk: string, next: { version: number }): Promise<boolean> {
    try {
      await this.client.send(new PutCommand({
        TableName: this.tableName,
        Item: { [PK]: SERVICE_KEYS.partition(service), [SK]: sk, ...next },
        ...(next.version === 1
          ? { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': PK } }
          : { ConditionExpression: '#version = :previous', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':previous': next.version - 1 } }),
      }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException || (error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  private async catalogue(service: string): Promise<void> {
    if (this.catalogued.has(service)) return;
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { [PK]: SERVICE_KEYS.catalogue, [SK]: service } }));
    this.catalogued.add(service);
  }
}

function pick(item: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, item[k]]));
}
