import { poolSettingsSummary } from '../../../core/definition/pool-model.ts';
import { Annotations, Stack } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import type { PoolsEnv } from '../../../functions/shared/pools-config.ts';
import type { ProcessPool } from '../process-pool.ts';
import type { TriggerHub } from '../trigger-hub.ts';
import { acknowledgeWildcardResource } from './nag.ts';
import type { RequestBodyName } from './request-models.ts';

/** What the API needs to serve the pools. */
export interface PoolApiAccess {
  readonly pools: readonly ProcessPool[];
  /**
   * Its schedule group and Scheduler role send the jobs delayed past SQS's 15 minutes.
   * @default - such delays are refused (422)
   */
  readonly scheduler?: TriggerHub;
}

/**
 * `STEPFLOW_POOLS` (functions/shared/pools-config.ts): compact JSON, the queues by name under one URL and one
 * ARN prefix, the event source mappings by UUID (`EventSourceMapping.eventSourceMappingId`), the `live`
 * alias where min_size > 0.
 */
export function poolApiEnvironment(scope: IConstruct, access: PoolApiAccess): Record<string, string> {
  const stack = Stack.of(scope);
  const pools: PoolsEnv['pools'] = {};
  for (const pool of access.pools) {
    const d = pool.pool;
    pools[d.name] = {
      ...poolSettingsSummary(d),
      ...(pool.alias ? { alias: `${pool.function.functionName}:${pool.alias.aliasName}` } : {}),
      lanes: d.lanes.map((lane) => {
        const r = pool.lanes[lane.name];
        return [lane.name, lane.share, r.queueName, r.deadLetterQueueName, r.eventSource.eventSourceMappingId];
      }),
    };
  }
  const env: PoolsEnv = {
    // The queue URL and ARN formats: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-queue-message-identifiers.html
    queueUrlPrefix: `https://sqs.${stack.region}.${stack.urlSuffix}/${stack.account}/`,
    queueArnPrefix: `arn:${stack.partition}:sqs:${stack.region}:${stack.account}:`,
    ...(access.scheduler ? { schedulerRoleArn: access.scheduler.schedulerRole.roleArn, scheduleGroup: access.scheduler.scheduleGroupName } : {}),
    pools,
  };
  // Tokens stand in for the mapping UUIDs (36 characters) and the prefixes' region and account: a rough size.
  const size = JSON.stringify(env).length + access.pools.reduce((n, p) => n + 40 * p.pool.lanes.length, 0);
  if (size > ENV_WARNING_BYTES) {
    Annotations.of(scope).addWarningV2(
      'stepflow:poolsEnvironmentSize',
      `STEPFLOW_POOLS is about ${size} bytes of the API Lambda's 4 KB environment (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html); ` +
        'fewer pools or lanes per stack keep it deployable.',
    );
  }
  return { STEPFLOW_POOLS: stack.toJsonString(env) };
}

/** Half of Lambda's 4 KB environment: the rest holds the table, the registry's ARN prefix and the trigger settings. */
const ENV_WARNING_BYTES = 2048;

/**
 * What the pool routes call, on the pools' resources only: SendMessage and GetQueueAttributes on the lanes
 * (submit, depths), ReceiveMessage, DeleteMessage and GetQueueAttributes on their dead-letter queues
 * (redrive, depths; the batch calls need no action of their own,
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-batch-api-actions.html),
 * Get/UpdateEventSourceMapping on the lanes' mappings (pause, resume, scale;
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-api-permissions-ref.html), provisioned concurrency on
 * the `live` aliases, and CreateSchedule with the Scheduler role for long delays. The Scheduler role may send
 * to the lanes; the queues use SQS-managed encryption, so no KMS key is involved
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html).
 */
export function grantPoolApi(role: iam.Role, access: PoolApiAccess, options: { readonly schedulerGranted: boolean }): void {
  if (access.pools.length === 0) return;
  const lanes = access.pools.flatMap((pool) => Object.values(pool.lanes));
  const queues = lanes.map((lane) => lane.queue.queueArn);
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes'], resources: queues }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
    resources: lanes.map((lane) => lane.deadLetterQueue.queueArn),
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['lambda:GetEventSourceMapping', 'lambda:UpdateEventSourceMapping'],
    resources: lanes.map((lane) => lane.eventSource.eventSourceMappingArn),
  }));
  const aliases = access.pools.flatMap((pool) => (pool.alias ? [pool.alias.functionArn] : []));
  if (aliases.length > 0) {
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['lambda:GetProvisionedConcurrencyConfig', 'lambda:PutProvisionedConcurrencyConfig', 'lambda:DeleteProvisionedConcurrencyConfig'],
      resources: aliases,
    }));
  }
  const hub = access.scheduler;
  if (!hub) return;
  hub.schedulerRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: queues }));
  if (options.schedulerGranted) return;
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['scheduler:CreateSchedule'], resources: [hub.scheduleArnPattern] }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['iam:PassRole'],
    resources: [hub.schedulerRole.roleArn],
    conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
  }));
  acknowledgeWildcardResource(
    role,
    hub.scheduleArnPattern,
    'One-time schedules of delayed pool jobs are named after the job at run time; the wildcard is limited to the stepflow schedule group (CreateSchedule only).',
  );
}

/** Adds one method: the API's own helper (validator, path parameters, request model). */
export type AddMethod = (resource: apigateway.IResource, httpMethod: string, parameters: string[], body?: RequestBodyName) => void;

/** The pool routes of functions/api/pool-routes.ts as API Gateway resources. */
export function addPoolRoutes(root: apigateway.IResource, add: AddMethod): void {
  const pools = root.addResource('pools');
  add(pools, 'GET', []);
  const pool = pools.addResource('{name}');
  add(pool, 'GET', ['name']);
  const jobs = pool.addResource('jobs');
  add(jobs, 'POST', ['name'], 'SubmitJobBody');
  add(jobs.addResource('{jobId}'), 'GET', ['name', 'jobId']);
  add(pool.addResource('dlq').addResource('redrive'), 'POST', ['name']);
  add(pool.addResource('pause'), 'POST', ['name']);
  add(pool.addResource('resume'), 'POST', ['name']);
  add(pool.addResource('scale'), 'PUT', ['name'], 'ScalePoolBody');
}
