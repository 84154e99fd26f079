import { randomUUID } from 'node:crypto';
import type { AwsClients } from '../shared/clients.ts';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import { DynamoDbFlagStore } from '../scheduling/dynamodb-flag-store.ts';
import { DynamoDbRateLimiter } from '../scheduling/dynamodb-rate-limiter.ts';
import { DynamoDbScheduleStore } from '../scheduling/dynamodb-schedule-store.ts';
import type { FlagStore } from '../scheduling/flag-store.ts';
import type { RateLimiter } from '../scheduling/rate-limiter.ts';
import type { ScheduleStore } from '../scheduling/schedule-store.ts';
import type { RuntimeConfig, SchedulingConfig } from '../shared/config.ts';
import { type WorkflowConfig } from '../../core/contracts/workflow-entry.ts';
import { DynamoDbExecutionStore } from '../executions/dynamodb-execution-store.ts';
import { HttpError } from '../../core/errors.ts';
import type { ExecutionStore } from '../executions/execution-store.ts';
import { jsonLogger, type Logger } from '../shared/logger.ts';
import type { PoolsDeps } from './operations/pool-deps.ts';
import { awsPoolsDeps } from './aws-pools.ts';
import type { ExecutionRunner } from '../executions/execution-runner.ts';
import { InputValidator } from '../executions/input-validator.ts';
import { SfnExecutionRunner } from '../executions/sfn-execution-runner.ts';
import { SfnHistoryReader, type ExecutionHistoryReader } from '../executions/execution-history.ts';
import type { ExecutionLogReader } from '../executions/execution-log-reader.ts';
import { SfnTaskTokenAnswers, type TaskTokenAnswers } from '../callbacks/task-token-answers.ts';
import { DynamoDbOrchestrationStore } from '../orchestration/dynamodb-orchestration-store.ts';
import type { ServicesDeps } from '../orchestration/service-views.ts';
import type { ApprovalStore } from '../approvals/approval-store.ts';
import { DynamoDbApprovalStore } from '../approvals/dynamodb-approval-store.ts';

/** Everything the API's operations use, injected so they run without Lambda or AWS. */
export interface ApiDeps {
  readonly store: ExecutionStore;
  readonly runner: ExecutionRunner;
  /** Deployed workflows by name. */
  readonly workflows: Readonly<Record<string, WorkflowConfig>>;
  /** @default () => new Date() */
  readonly clock: () => Date;
  /** Names executions started without a name. @default crypto.randomUUID */
  readonly newId: () => string;
  readonly validator: InputValidator;
  /** @default jsonLogger */
  readonly logger: Logger;
  /** Await Express executions that fit in the API's time limit (see StartDeps.syncExpress). @default true in defaultApiDeps */
  readonly syncExpress?: boolean;
  /** Executions' histories (GetExecutionHistory); without it GET omits `tasks` and the history route answers 501. @default Step Functions */
  readonly history?: ExecutionHistoryReader;
  /** Executions' task log lines; the logs route answers 404 `logs_not_kept` without it (on AWS they are in CloudWatch Logs). @default none */
  readonly logs?: ExecutionLogReader;
  /** Answers to callback tasks' tokens; the callback routes answer 501 without them. @default Step Functions */
  readonly taskTokens?: TaskTokenAnswers;
  /** Pools' queues, job records and runtimes; the pool routes answer 501 without them. @default none */
  readonly pools?: PoolsDeps;
  /** Approval tasks' records; the approval routes answer 501 without them. @default the table */
  readonly approvals?: ApprovalStore;
  /** Schedules, events and flags; the scheduling routes answer 501 without them. @default from the environment */
  readonly scheduling?: SchedulingDeps;
  /** The service registry, health, breakers and metrics; the services routes answer 501 without them. @default the state table */
  readonly services?: ServicesDeps;
}

/** What the scheduling routes use: the stores, EventBridge Scheduler, EventBridge and their settings. */
export interface SchedulingDeps {
  readonly schedules: ScheduleStore;
  readonly flags: FlagStore;
  /** Caps `POST /events` per minute. */
  readonly rateLimiter: RateLimiter;
  readonly scheduler: SchedulerClient;
  readonly eventBridge: EventBridgeClient;
  readonly settings: SchedulingConfig;
}

/** Production dependencies: DynamoDB, Step Functions, Scheduler and EventBridge, as `config` says. */
export function defaultApiDeps(config: RuntimeConfig, clients: AwsClients, overrides: Partial<ApiDeps> = {}): ApiDeps {
  const { table, workflows, scheduling } = config;
  const client = clients.dynamo;
  return {
    store: overrides.store ?? new DynamoDbExecutionStore({ client, tableName: table }),
    runner: overrides.runner ?? new SfnExecutionRunner(clients.sfn),
    history: overrides.history ?? new SfnHistoryReader(clients.sfn),
    taskTokens: overrides.taskTokens ?? new SfnTaskTokenAnswers(clients.sfn),
    approvals: overrides.approvals ?? new DynamoDbApprovalStore({ client, tableName: table }),
    ...(overrides.logs ? { logs: overrides.logs } : {}),
    ...(overrides.pools ? { pools: overrides.pools } : config.pools ? { pools: awsPoolsDeps(config.pools, clients, table, scheduling.deadLetterArn) } : {}),
    workflows: overrides.workflows ?? workflows,
    clock: overrides.clock ?? (() => new Date()),
    newId: overrides.newId ?? randomUUID,
    validator: overrides.validator ?? new InputValidator(),
    logger: overrides.logger ?? jsonLogger,
    syncExpress: overrides.syncExpress ?? true,
    services: overrides.services ?? { store: new DynamoDbOrchestrationStore({ client, tableName: table }) },
    scheduling: overrides.scheduling ?? {
      schedules: new DynamoDbScheduleStore({ client, tableName: table }),
      flags: new DynamoDbFlagStore({ client, tableName: table }),
      rateLimiter: new DynamoDbRateLimiter({ client, tableName: table }),
      scheduler: clients.scheduler,
      eventBridge: clients.eventBridge,
      settings: scheduling,
    },
  };
}

/** The scheduling dependencies, or 501 when this API was built without them. */
export function schedulingOf(deps: ApiDeps): SchedulingDeps {
  if (!deps.scheduling) throw new HttpError(501, 'not_implemented', 'scheduling is not configured on this API');
  return deps.scheduling;
}
