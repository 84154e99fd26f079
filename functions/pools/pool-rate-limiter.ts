import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE_KEYS } from '../../core/contracts/table-keys.ts';

export interface PoolRateLimiterProps {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly pool: string;
  readonly max: number;
  readonly perSeconds: number;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * A pool's rate limit across every worker: one counter item per fixed window of `perSeconds`
 * (`pk = RATE#pool:<name>`, `sk = <window start>`), incremented with a conditional ADD that refuses once
 * `max` starts were admitted in it (as DynamoDbRateLimiter does per minute). `admit` waits for the next
 * window while the current one is full.
 */
export class PoolRateLimiter {
  constructor(private readonly props: PoolRateLimiterProps) {}

  async admit(): Promise<void> {
    const { client, tableName, pool, max, perSeconds } = this.props;
    const now = this.props.now ?? Date.now;
    const sleep = this.props.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const windowMs = perSeconds * 1000;
    for (;;) {
      const at = now();
      const start = Math.floor(at / windowMs) * windowMs;
      try {
        await client.send(new UpdateCommand({
          TableName: tableName,
          Key: { [TABLE_KEYS.partitionKey]: `RATE#pool:${pool}`, [TABLE_KEYS.sortKey]: new Date(start).toISOString() },
          UpdateExpression: 'ADD #count :one SET #expires = :expires',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :max',
          ExpressionAttributeNames: { '#count': 'admitted', '#expires': 'expiresAt' },
          ExpressionAttributeValues: { ':one': 1, ':max': max, ':expires': Math.floor(start / 1000) + perSeconds + 3600 },
        }));
        return;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        await sleep(start + windowMs - at);
      }
    }
  }
}
