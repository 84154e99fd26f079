import { InputValidator } from '../executions/input-validator.ts';
import { SfnExecutionRunner } from '../executions/sfn-execution-runner.ts';
import type { AwsClients } from '../shared/clients.ts';
import type { RuntimeConfig } from '../shared/config.ts';
import { DynamoDbExecutionStore } from '../executions/dynamodb-execution-store.ts';
import { jsonLogger } from '../shared/logger.ts';
import type { DispatchDeps } from './dispatch.ts';
import { DynamoDbFlagStore } from './dynamodb-flag-store.ts';
import { DynamoDbRateLimiter } from './dynamodb-rate-limiter.ts';
import { DynamoDbScheduleStore } from './dynamodb-schedule-store.ts';

/** Production dependencies of the dispatcher: the single table and Step Functions, as `config` says. */
export function defaultDispatchDeps(config: RuntimeConfig, clients: AwsClients, overrides: Partial<DispatchDeps> = {}): DispatchDeps {
  const { table, workflows } = config;
  const client = clients.dynamo;
  return {
    store: new DynamoDbExecutionStore({ client, tableName: table }),
    runner: new SfnExecutionRunner(clients.sfn),
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
