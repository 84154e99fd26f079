import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { WorkflowPlan } from '../../core/compiler/plan.ts';
import { poolQueueNames, poolQueuePlaceholder } from '../../core/compiler/pools.ts';
import { MAX_VISIBILITY_TIMEOUT_SECONDS, MIN_EVENT_SOURCE_CONCURRENCY, poolVisibilityTimeout } from '../../core/definition/pool-limits.ts';
import type { PoolDefinition } from '../../core/definition/pool-model.ts';
import { maxAttempts } from '../../core/definition/pools.ts';
import { StepflowFunction } from './private/bundling.ts';
import { acknowledge } from './private/nag.ts';
import { BUNDLING_ROOT, projectFile } from './private/project.ts';
import type { StateTable } from './state-table.ts';

/** Seconds a worker invocation gets beyond its batch's job timeouts (claims, answers, deletes). */
const WORKER_MARGIN_SECONDS = 10;
const MAX_LAMBDA_TIMEOUT_SECONDS = 900;

export interface ProcessPoolProps {
  readonly pool: PoolDefinition;
  /** Where job records go. */
  readonly table: StateTable;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** @default - log group encrypted by CloudWatch Logs itself */
  readonly logEncryptionKey?: kms.IKey;
}

export interface PoolLaneResources {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  /** The queues' names as plain strings (the API builds their URLs from them). */
  readonly queueName: string;
  readonly deadLetterQueueName: string;
  readonly eventSource: SqsEventSource;
}

/**
 * One pool on AWS: per lane an SQS queue (SQS-managed encryption, TLS only) with its dead-letter queue
 * (maxReceiveCount = max_restarts + 1), and one worker Lambda fed by every lane through an SQS event
 * source capped at the lane's share of max_size (MaximumConcurrency, at least 2), reporting partial batch
 * failures; min_size as provisioned concurrency on the `live` alias the event sources invoke; alarms on
 * the oldest message's age, dead-letter depth and worker errors.
 */
export class ProcessPool extends Construct {
  /** Every pool declared beside the plans, one per name. */
  static forPlans(scope: Construct, plans: readonly WorkflowPlan[], props: Omit<ProcessPoolProps, 'pool'>): Record<string, ProcessPool> {
    const pools: Record<string, ProcessPool> = {};
    for (const pool of plans.flatMap((p) => p.pools ?? [])) {
      pools[pool.name] ??= new ProcessPool(scope, `Pool${pool.name.replace(/[^A-Za-z0-9]/g, '')}`, { ...props, pool });
    }
    return pools;
  }

  readonly pool: PoolDefinition;
  readonly lanes: Readonly<Record<string, PoolLaneResources>>;
  readonly function: lambda.IFunction;
  /** What the event sources invoke: the `live` alias with provisioned concurrency when min_size > 0. */
  readonly target: lambda.IFunction;
  /** The `live` alias, when min_size > 0. */
  readonly alias?: lambda.Alias;
  readonly alarms: readonly cloudwatch.Alarm[];
  private readonly role: iam.IRole;

  constructor(scope: Construct, id: string, props: ProcessPoolProps) {
    super(scope, id);
    const { pool } = props;
    this.pool = pool;
    const lambdaTimeout = Math.min(MAX_LAMBDA_TIMEOUT_SECONDS, pool.timeoutSeconds * pool.batchSize + WORKER_MARGIN_SECONDS);
    const worker = new StepflowFunction(this, 'Worker', {
      entry: workerEntry(pool),
      description: `stepflow: worker of pool ${pool.name}`,
      timeout: Duration.seconds(lambdaTimeout),
      memorySize: pool.memoryMb,
      environment: {
        STEPFLOW_TABLE: props.table.tableName,
        STEPFLOW_POOL: JSON.stringify({ name: pool.name, timeoutSeconds: pool.timeoutSeconds, maxAttempts: maxAttempts(pool), restartDelaySeconds: pool.recovery.restartDelaySeconds, ...(pool.rateLimit ? { rateLimit: pool.rateLimit } : {}) }),
      },
      logRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      logEncryptionKey: props.logEncryptionKey,
    });
    acknowledge(worker.function, 'Serverless-LambdaDLQ', 'Invoked by SQS event source mappings: a failed job stays on its queue and goes to the queue\'s own dead-letter queue after max_restarts + 1 receives; a Lambda DLQ applies only to asynchronous invocations.');
    props.table.grantReadWriteItems(worker.role);
    this.function = worker.function;
    this.role = worker.role;
    // Warm workers: provisioned concurrency lives on a version or alias (https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html).
    this.alias = pool.minSize > 0
      ? new lambda.Alias(this, 'Live', { aliasName: 'live', version: worker.function.currentVersion, provisionedConcurrentExecutions: pool.minSize })
      : undefined;
    this.target = this.alias ?? worker.function;

    // AWS recommends a visibility timeout of six times the function timeout
    // (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html#events-sqs-queueconfig).
    const visibility = Math.min(MAX_VISIBILITY_TIMEOUT_SECONDS, Math.max(poolVisibilityTimeout(pool.timeoutSeconds), 6 * lambdaTimeout));
    const lanes: Record<string, PoolLaneResources> = {};
    const alarms: cloudwatch.Alarm[] = [];
    for (const lane of pool.lanes) {
      const names = poolQueueNames(pool.name, lane.name);
      const queueName = `${Stack.of(this).stackName}-${names.queue}`.slice(-80);
      const deadLetterQueueName = `${Stack.of(this).stackName}-${names.dlq}`.slice(-80);
      const deadLetterQueue = new sqs.Queue(this, `${lane.name}Dlq`, {
        queueName: deadLetterQueueName,
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      acknowledge(deadLetterQueue, 'Serverless-SQSRedrivePolicy', 'This queue is itself the dead-letter queue of a pool lane; POST /pools/{name}/dlq/redrive moves its jobs back.');
      const queue = new sqs.Queue(this, `${lane.name}Queue`, {
        queueName,
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        visibilityTimeout: Duration.seconds(visibility),
        // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: maxAttempts(pool) },
      });
      // Partial batch responses (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html)
      // and the lane's cap (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html#events-sqs-max-concurrency).
      const eventSource = new SqsEventSource(queue, {
        batchSize: pool.batchSize,
        maxConcurrency: Math.max(MIN_EVENT_SOURCE_CONCURRENCY, lane.concurrency),
        reportBatchItemFailures: true,
      });
      this.target.addEventSource(eventSource);
      lanes[lane.name] = { queue, deadLetterQueue, queueName, deadLetterQueueName, eventSource };
      if (pool.monitoring.alerting) {
        alarms.push(
          queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1) }).createAlarm(this, `${lane.name}OldestMessage`, {
            alarmDescription: `pool ${pool.name}, lane ${lane.name}: a job has waited longer than six job timeouts`,
            threshold: 6 * pool.timeoutSeconds,
            evaluationPeriods: 3,
            treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          }),
          deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }).createAlarm(this, `${lane.name}DeadLettered`, {
            alarmDescription: `pool ${pool.name}, lane ${lane.name}: jobs were dead-lettered`,
            threshold: 1,
            evaluationPeriods: 1,
            comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          }),
        );
      }
    }
    if (pool.monitoring.alerting) {
      alarms.push(worker.function.metricErrors({ period: Duration.minutes(1) }).createAlarm(this, 'WorkerErrors', {
        alarmDescription: `pool ${pool.name}: worker invocations failed (whole batches returned)`,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }));
    }
    // https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
    for (const mapping of this.node.findAll().filter((c) => c instanceof lambda.CfnEventSourceMapping)) {
      acknowledge(mapping, 'Serverless-LambdaEventSourceMappingDestination', 'An SQS event source mapping supports no on-failure destination; failed jobs go to each queue\'s dead-letter queue through its redrive policy.');
    }
    this.lanes = lanes;
    this.alarms = alarms;
  }

  /** `PoolQueue_<pool>_<lane>` → the lane's queue, for the ASL's substitutions. */
  queuesByPlaceholder(): Record<string, sqs.IQueue> {
    return Object.fromEntries(Object.entries(this.lanes).map(([lane, r]) => [poolQueuePlaceholder(this.pool.name, lane), r.queue]));
  }

  /**
   * The lanes' queues as another stack of the same account and region reaches them (a shard's state
   * machines): imported by name-built ARN and URL, so no cross-stack reference pins them. Imported once per stack.
   */
  queuesByPlaceholderIn(scope: Construct): Record<string, sqs.IQueue> {
    const stack = Stack.of(scope);
    return Object.fromEntries(Object.entries(this.lanes).map(([lane, r]) => {
      const id = `PoolQueue${this.pool.name}${lane}`.replace(/[^A-Za-z0-9]/g, '');
      const queue = (stack.node.tryFindChild(id) as sqs.IQueue | undefined) ?? sqs.Queue.fromQueueAttributes(stack, id, {
        queueArn: stack.formatArn({ service: 'sqs', resource: r.queueName, arnFormat: ArnFormat.NO_RESOURCE_NAME }),
        // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-queue-message-identifiers.html
        queueUrl: `https://sqs.${stack.region}.${stack.urlSuffix}/${stack.account}/${r.queueName}`,
      });
      return [poolQueuePlaceholder(this.pool.name, lane), queue];
    }));
  }

  /**
   * Lets the worker answer the task tokens of one state machine (SendTaskSuccess, SendTaskFailure,
   * SendTaskHeartbeat on its ARN, built from its name: a reference would close a cycle).
   */
  allowAnswer(stateMachineName: string): void {
    const arn = Stack.of(this).formatArn({ service: 'states', resource: 'stateMachine', resourceName: stateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'], resources: [arn] }));
  }
}

/**
 * The worker's entry module: the pool's job handler wrapped by the worker (functions/pools/worker.ts).
 * Written at synth time under node_modules/.cache of the folder esbuild runs in (entries must be under
 * it), one per pool and handler, so its content (and the asset's hash) only changes with them.
 */
function workerEntry(pool: PoolDefinition): string {
  const dir = join(BUNDLING_ROOT.projectRoot ?? process.cwd(), 'node_modules', '.cache', 'stepflow', 'pool-entries');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${pool.name}-${Buffer.from(`${pool.handler.file}#${pool.handler.exportName}`).toString('base64url').slice(-24)}.ts`);
  writeFileSync(file, [
    `import { ${pool.handler.exportName === 'default' ? 'default as job' : `${pool.handler.exportName} as job`} } from ${JSON.stringify(pool.handler.file)};`,
    `import { poolWorkerFromEnv } from ${JSON.stringify(projectFile('functions/pools/worker.ts'))};`,
    'export const handler = poolWorkerFromEnv(job, process.env);',
    '',
  ].join('\n'));
  return file;
}
