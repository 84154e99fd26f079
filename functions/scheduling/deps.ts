import { InputValidator } from '../executions/input-validator.ts';
import { SfnExecutionRunner } from '../executions/sfn-execution-runner.ts';
import { dynamoDocumentClient, sfnClient } from '../shared/clients.ts';
import { config } from '../shared/config.ts';
import { DynamoDbExecutionStore } from '../executions/dynamodb-execution-store.ts';
import { jsonLogger } from '../shared/logger.ts';
import type { DispatchDeps } from './dispatch.ts';
import { DynamoDbFlagStore } from './dynamodb-flag-store.ts';
import { DynamoDbRateLimiter } from './dynamodb-rate-limiter.ts';
import { DynamoDbScheduleStore } from './dynamodb-schedule-store.ts';

/** Production dependencies of the dispatcher: the single table, Step Functions, the environment's config. */
export function defaultDispatchDeps(overrides: Partial<DispatchDeps> = {}): DispatchDeps {
  const { table, workflows } = config();
  const client = dynamoDocumentClient();
  return {
    store: new DynamoDbExecutionStore({ client, tableName: table }),
    runner: new SfnExecutionRunner(sfnClient()),
    workflows,
    clock: () => new Date(),
    validator: new InputValidator(),
    schedules: new DynamoDbScheduleStore({ client, tableName: table }),
    flags: new DynamoDbFlagStore({ client, tableName: table }),
    rateLimiter: new DynamoDbRateLimiter({ client, tableName: table }),
    logger: jsonLogger,
    ...overrides,
  };
}
