import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { poolJobKey, type PoolJobRecord } from '../../core/contracts/pool-job.ts';
import type { ClaimResult, JobOutcome, JobStore, NewJob } from './job-store.ts';

export interface DynamoDbJobStoreProps {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

type Item = Record<string, unknown>;
const SETTLED = ['succeeded', 'failed', 'dead_lettered'];

/**
 * JobStore on the stack's table, conditional writes only (dynalite, the offline stand-in, has no
 * transactions). A claim succeeds when the job is new, waiting, or running on a lapsed lease; a settle
 * applies only to the run that holds the claim (its attempt number), so two deliveries of one message run
 * the handler once and record one outcome.
 */
export class DynamoDbJobStore implements JobStore {
  constructor(private readonly props: DynamoDbJobStoreProps) {}

  async create(job: NewJob, now: number): Promise<{ created: boolean; record: PoolJobRecord }> {
    const at = new Date(now).toISOString();
    const item: Item = { ...poolJobKey(job.pool, job.jobId), pool: job.pool, jobId: job.jobId, lane: job.lane, status: 'queued', attempts: 0, createdAt: at, updatedAt: at };
    try {
      await this.props.client.send(new PutCommand({ TableName: this.props.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
      return { created: true, record: toRecord(item) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return { created: false, record: (await this.get(job.pool, job.jobId))! };
    }
  }

  async claim(job: NewJob, leaseSeconds: number, now: number): Promise<ClaimResult> {
    const at = new Date(now).toISOString();
    try {
      const { Attributes } = await this.props.client.send(new UpdateCommand({
        TableName: this.props.tableName,
        Key: poolJobKey(job.pool, job.jobId),
        UpdateExpression: 'SET #status = :running, attempts = if_not_exists(attempts, :zero) + :one, leaseUntil = :lease, updatedAt = :at, '
          + 'createdAt = if_not_exists(createdAt, :at), #pool = :pool, jobId = :jobId, lane = :lane',
        ConditionExpression: 'attribute_not_exists(pk) OR #status = :queued OR (#status = :running AND leaseUntil < :now)',
        // "status" and "pool" are DynamoDB reserved words.
        ExpressionAttributeNames: { '#status': 'status', '#pool': 'pool' },
        ExpressionAttributeValues: {
          ':running': 'running', ':queued': 'queued', ':zero': 0, ':one': 1, ':lease': now + leaseSeconds * 1000, ':now': now, ':at': at,
          ':pool': job.pool, ':jobId': job.jobId, ':lane': job.lane,
        },
        ReturnValues: 'ALL_NEW',
      }));
      return { kind: 'claimed', attempt: Attributes!.attempts as number };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const record = await this.get(job.pool, job.jobId);
      return record && SETTLED.includes(record.status) ? { kind: 'settled', record } : { kind: 'busy' };
    }
  }

  async settle(job: NewJob, attempt: number, outcome: JobOutcome, now: number): Promise<void> {
    const fields: Item = outcome.status === 'succeeded'
      ? { result: JSON.stringify(outcome.result ?? null) }
      : { error: outcome.error, cause: outcome.cause };
    const names = Object.keys(fields);
    try {
      await this.props.client.send(new UpdateCommand({
        TableName: this.props.tableName,
        Key: poolJobKey(job.pool, job.jobId),
        UpdateExpression: `SET #status = :status, updatedAt = :at, ${names.map((n) => `#${n} = :${n}`).join(', ')} REMOVE leaseUntil`,
        ConditionExpression: '#status = :running AND attempts = :attempt',
        ExpressionAttributeNames: { '#status': 'status', ...Object.fromEntries(names.map((n) => [`#${n}`, n])) },
        ExpressionAttributeValues: {
          ':status': outcome.status, ':running': 'running', ':attempt': attempt, ':at': new Date(now).toISOString(),
          ...Object.fromEntries(names.map((n) => [`:${n}`, fields[n]])),
        },
      }));
    } catch (error) {
      // A later delivery took the job over (this run outlived its lease): its outcome is the one kept.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async progress(job: NewJob, attempt: number, progress: unknown, now: number): Promise<void> {
    try {
      await this.props.client.send(new UpdateCommand({
        TableName: this.props.tableName,
        Key: poolJobKey(job.pool, job.jobId),
        UpdateExpression: 'SET progress = :progress, updatedAt = :at',
        ConditionExpression: '#status = :running AND attempts = :attempt',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':progress': JSON.stringify(progress ?? null), ':running': 'running', ':attempt': attempt, ':at': new Date(now).toISOString() },
      }));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async heartbeat(job: NewJob, attempt: number, leaseSeconds: number, now: number): Promise<void> {
    try {
      await this.props.client.send(new UpdateCommand({
        TableName: this.props.tableName,
        Key: poolJobKey(job.pool, job.jobId),
        UpdateExpression: 'SET heartbeatAt = :at, leaseUntil = :lease',
        ConditionExpression: '#status = :running AND attempts = :attempt',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':at': new Date(now).toISOString(), ':lease': now + leaseSeconds * 1000, ':running': 'running', ':attempt': attempt },
      }));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async release(job: NewJob, _attempt: number | undefined, now: number): Promise<void> {
    try {
      await this.props.client.send(new UpdateCommand({
        TableName: this.props.tableName,
        Key: poolJobKey(job.pool, job.jobId),
        UpdateExpression: 'SET #status = :queued, updatedAt = :at REMOVE leaseUntil',
        ConditionExpression: '#status = :running',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':queued': 'queued', ':running': 'running', ':at': new Date(now).toISOString() },
      }));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async resetForRedrive(job: NewJob, now: number): Promise<void> {
    try {
      await this.props.client.send(new UpdateCommand({
        TableName: this.props.tableName,
        Key: poolJobKey(job.pool, job.jobId),
        UpdateExpression: 'SET #status = :queued, attempts = :zero, updatedAt = :at REMOVE #error, #cause, leaseUntil, progress',
        ConditionExpression: '#status = :dead',
        ExpressionAttributeNames: { '#status': 'status', '#error': 'error', '#cause': 'cause' },
        ExpressionAttributeValues: { ':queued': 'queued', ':dead': 'dead_lettered', ':zero': 0, ':at': new Date(now).toISOString() },
      }));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async get(pool: string, jobId: string): Promise<PoolJobRecord | undefined> {
    const { Item } = await this.props.client.send(new GetCommand({ TableName: this.props.tableName, Key: poolJobKey(pool, jobId), ConsistentRead: true }));
    return Item ? toRecord(Item) : undefined;
  }
}

function toRecord(item: Item): PoolJobRecord {
  return {
    pool: item.pool as string,
    jobId: item.jobId as string,
    lane: item.lane as string,
    status: item.status as PoolJobRecord['status'],
    attempts: (item.attempts as number) ?? 0,
    ...(item.result !== undefined ? { result: JSON.parse(item.result as string) as unknown } : {}),
    ...(item.error !== undefined ? { error: item.error as string } : {}),
    ...(item.cause !== undefined ? { cause: item.cause as string } : {}),
    ...(item.progress !== undefined ? { progress: JSON.parse(item.progress as string) as unknown } : {}),
    ...(item.heartbeatAt !== undefined ? { heartbeatAt: item.heartbeatAt as string } : {}),
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
  };
}
