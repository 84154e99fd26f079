import { DynamoDbFlagStore } from '../../functions/scheduling/dynamodb-flag-store.ts';
import { DynamoDbRateLimiter } from '../../functions/scheduling/dynamodb-rate-limiter.ts';
import { DynamoDbScheduleStore } from '../../functions/scheduling/dynamodb-schedule-store.ts';
import { countingDocumentClient, createExecutionsTable } from './dynalite.ts';

export interface SchedulingStores {
  readonly tableName: string;
  readonly schedules: DynamoDbScheduleStore;
  readonly flags: DynamoDbFlagStore;
  readonly rateLimiter: DynamoDbRateLimiter;
}

/** The scheduling stores on a fresh table of the production schema, on a running dynalite. */
export async function createSchedulingStores(endpoint: string, clock: () => Date = () => new Date()): Promise<SchedulingStores> {
  const tableName = await createExecutionsTable(endpoint);
  const { client } = countingDocumentClient(endpoint);
  return {
    tableName,
    schedules: new DynamoDbScheduleStore({ client, tableName }),
    flags: new DynamoDbFlagStore({ client, tableName, clock }),
    rateLimiter: new DynamoDbRateLimiter({ client, tableName }),
  };
}
