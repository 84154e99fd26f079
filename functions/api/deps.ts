import { randomUUID } from 'node:crypto';
import { dynamoDocumentClient, sfnClient } from '../shared/clients.ts';
import { config, type WorkflowConfig } from '../shared/config.ts';
import { DynamoDbExecutionStore } from '../shared/dynamodb-execution-store.ts';
import { NotFound } from '../shared/errors.ts';
import type { ExecutionStore } from '../shared/execution-store.ts';
import { jsonLogger, type Logger } from '../shared/logger.ts';
import type { ExecutionRunner } from './execution-runner.ts';
import { InputValidator } from './input-validator.ts';
import { SfnExecutionRunner } from './sfn-execution-runner.ts';

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
}

/** Production dependencies: DynamoDB, Step Functions and the configuration from the environment. */
export function defaultApiDeps(overrides: Partial<ApiDeps> = {}): ApiDeps {
  const { table, workflows } = config();
  return {
    store: overrides.store ?? new DynamoDbExecutionStore({ client: dynamoDocumentClient(), tableName: table }),
    runner: overrides.runner ?? new SfnExecutionRunner(sfnClient()),
    workflows: overrides.workflows ?? workflows,
    clock: overrides.clock ?? (() => new Date()),
    newId: overrides.newId ?? randomUUID,
    validator: overrides.validator ?? new InputValidator(),
    logger: overrides.logger ?? jsonLogger,
  };
}

/** The workflow's configuration, or NotFound. */
export function findWorkflow(deps: Pick<ApiDeps, 'workflows'>, name: string): WorkflowConfig {
  const workflow = Object.hasOwn(deps.workflows, name) ? deps.workflows[name] : undefined;
  if (!workflow) throw new NotFound(`unknown workflow "${name}"`, { code: 'unknown_workflow' });
  return workflow;
}
