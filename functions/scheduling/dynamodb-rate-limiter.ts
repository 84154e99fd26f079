import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLE_KEYS } from '../../core/contracts/table-keys.ts';
import { minuteWindow, type RateDecision, type RateLimiter } from './rate-limiter.ts';

export interface DynamoDbRateLimiterProps {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

/**
 * RateLimiter on the single table: one counter item per key and minute (`pk = RATE#<key>`,
 * `sk = <window start>`), incremented with a conditional `ADD` that refuses once the limit is reached, so
 * concurrent containers never admit more than the limit. Each item carries `expiresAt` (epoch seconds) for
 * DynamoDB TTL where the table enables it; dynalite has no TTL and keeps them.
 */
export class DynamoDbRateLimiter implements RateLimiter {
  constructor(private readonly props: DynamoDbRateLimiterProps) {}

  async tryAcquire(key: string, limit: number, now: Date): Promise<RateDecision> {
    const window = minuteWindow(now);
    if (limit <= 0) return { admitted: false, retryAfterSeconds: window.secondsLeft };
    try {
      await this.props.client.send(
        new UpdateCommand({
          TableName: this.props.tableName,
          Key: { [TABLE_KEYS.partitionKey]: `RATE#${key}`, [TABLE_KEYS.sortKey]: window.start },
          UpdateExpression: 'ADD #count :one SET #expires = :expires',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
          ExpressionAttributeNames: { '#count': 'admitted', '#expires': 'expiresAt' },
          ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':expires': Math.floor(Date.parse(window.start) / 1000) + 3600 },
        }),
      );
      return { admitted: true };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return { admitted: false, retryAfterSeconds: window.secondsLeft };
      throw error;
    }
  }
}
