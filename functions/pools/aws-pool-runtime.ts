import {
  DeleteProvisionedConcurrencyConfigCommand,
  GetEventSourceMappingCommand,
  GetProvisionedConcurrencyConfigCommand,
  PutProvisionedConcurrencyConfigCommand,
  UpdateEventSourceMappingCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { ConflictException, CreateScheduleCommand, type SchedulerClient } from '@aws-sdk/client-scheduler';
import { MIN_EVENT_SOURCE_CONCURRENCY } from '../../core/definition/pool-limits.ts';
import type { PoolLane } from '../../core/definition/pool-model.ts';
import { laneConcurrency } from '../../core/definition/pools.ts';
import { Conflict } from '../../core/errors.ts';
import type { DeployedPool } from '../shared/pools-config.ts';
import type { PoolRuntime, ScheduledJob } from './pool-control.ts';

export interface AwsPoolRuntimeProps {
  readonly pool: DeployedPool;
  readonly lambda: LambdaClient;
  readonly scheduler: SchedulerClient;
  /** Where the one-time schedules of long delays go; without them such delays are refused (422). */
  readonly scheduling?: { readonly roleArn: string; readonly group: string; readonly deadLetterArn?: string };
}

/** Event source mapping states in which the mapping polls no more (https://docs.aws.amazon.com/lambda/latest/api/API_GetEventSourceMapping.html). */
const STOPPED = new Set(['Disabled', 'Disabling']);

/**
 * A deployed pool's workers, driven through its lanes' SQS event source mappings
 * (https://docs.aws.amazon.com/lambda/latest/api/API_UpdateEventSourceMapping.html): pause and resume
 * disable and enable them (jobs stay queued meanwhile), scale sets each lane's MaximumConcurrency
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html#events-sqs-max-concurrency) and
 * min_size as provisioned concurrency on the worker's `live` alias
 * (https://docs.aws.amazon.com/lambda/latest/api/API_PutProvisionedConcurrencyConfig.html). What it
 * reports is read back from Lambda, so every API instance sees the same. A later deployment puts the
 * template's values back.
 */
export class AwsPoolRuntime implements PoolRuntime {
  /** Present only with a Scheduler role: without it the API refuses long delays before recording the job. */
  readonly schedule?: (job: ScheduledJob, delaySeconds: number, now: number) => Promise<void>;

  constructor(private readonly props: AwsPoolRuntimeProps) {
    const { scheduling } = props;
    if (scheduling) this.schedule = (job, delaySeconds, now) => this.createSchedule(scheduling, job, delaySeconds, now);
  }

  async pause(): Promise<void> {
    await this.setEnabled(false);
  }

  async resume(): Promise<void> {
    await this.setEnabled(true);
  }

  /** Paused when no lane's mapping polls its queue. */
  async paused(): Promise<boolean> {
    const mappings = await this.mappings();
    return mappings.every((m) => STOPPED.has(m.State ?? ''));
  }

  async scale(sizes: { minSize: number; maxSize: number }): Promise<void> {
    const { pool } = this.props;
    if (sizes.minSize > 0 && !pool.alias) {
      throw new Conflict(
        `pool "${pool.definition.name}" was deployed with min_size 0: its worker has no \`live\` alias to hold provisioned concurrency; deploy it with min_size above 0 to keep workers warm`,
        { code: 'min_size_not_provisioned' },
      );
    }
    const lanes = laneConcurrency(Object.fromEntries(pool.definition.lanes.map((l) => [l.name, l.share])), sizes.maxSize);
    for (const lane of pool.lanes) {
      const concurrency = lanes.find((l) => l.name === lane.name)!.concurrency;
      await this.props.lambda.send(new UpdateEventSourceMappingCommand({
        UUID: lane.mappingUuid,
        ScalingConfig: { MaximumConcurrency: Math.max(MIN_EVENT_SOURCE_CONCURRENCY, concurrency) },
      }));
    }
    if (!pool.alias) return;
    const [functionName, qualifier] = splitAlias(pool.alias);
    if (sizes.minSize > 0) {
      await this.props.lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: functionName, Qualifier: qualifier, ProvisionedConcurrentExecutions: sizes.minSize }));
    } else {
      // Provisioned concurrency is at least 1: none is no configuration at all.
      try {
        await this.props.lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: functionName, Qualifier: qualifier }));
      } catch (error) {
        if ((error as Error).name !== 'ResourceNotFoundException') throw error;
      }
    }
  }

  /** max_size is the lanes' MaximumConcurrency added up (laneConcurrency splits it without loss); min_size the alias's provisioned concurrency. */
  async sizes(): Promise<{ minSize: number; maxSize: number; lanes: readonly PoolLane[] }> {
    const { pool } = this.props;
    const [mappings, minSize] = await Promise.all([this.mappings(), this.provisioned()]);
    const lanes = pool.definition.lanes.map((lane, i) => ({ ...lane, concurrency: mappings[i].ScalingConfig?.MaximumConcurrency ?? lane.concurrency }));
    return { minSize, maxSize: lanes.reduce((sum, l) => sum + l.concurrency, 0), lanes };
  }

  /**
   * A one-time EventBridge Scheduler schedule sending the message to the lane's queue (the SQS SendMessage
   * templated target, https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-templated.html),
   * deleted once it fired (ActionAfterCompletion DELETE,
   * https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html).
   */
  private async createSchedule(scheduling: NonNullable<AwsPoolRuntimeProps['scheduling']>, job: ScheduledJob, delaySeconds: number, now: number): Promise<void> {
    const { pool } = this.props;
    const lane = pool.lanes.find((l) => l.name === job.lane)!;
    try {
      await this.props.scheduler.send(new CreateScheduleCommand({
        Name: poolJobScheduleName(job.jobId),
        GroupName: scheduling.group,
        ScheduleExpression: atExpression(now + delaySeconds * 1000),
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        Description: `stepflow: job ${job.jobId} of pool ${pool.definition.name}, delayed ${delaySeconds}s`,
        Target: {
          Arn: lane.arn,
          RoleArn: scheduling.roleArn,
          Input: job.body,
          // https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-retry-policy.html
          RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 3600 },
          ...(scheduling.deadLetterArn ? { DeadLetterConfig: { Arn: scheduling.deadLetterArn } } : {}),
        },
      }));
    } catch (error) {
      // The same job scheduled before (a retried request): that schedule sends it.
      if (!(error instanceof ConflictException)) throw error;
    }
  }

  private async setEnabled(enabled: boolean): Promise<void> {
    for (const lane of this.props.pool.lanes) {
      await this.props.lambda.send(new UpdateEventSourceMappingCommand({ UUID: lane.mappingUuid, Enabled: enabled }));
    }
  }

  private mappings() {
    return Promise.all(this.props.pool.lanes.map((lane) => this.props.lambda.send(new GetEventSourceMappingCommand({ UUID: lane.mappingUuid }))));
  }

  private async provisioned(): Promise<number> {
    const { alias } = this.props.pool;
    if (!alias) return 0;
    const [functionName, qualifier] = splitAlias(alias);
    try {
      const config = await this.props.lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: functionName, Qualifier: qualifier }));
      return config.RequestedProvisionedConcurrentExecutions ?? 0;
    } catch (error) {
      if ((error as Error).name === 'ProvisionedConcurrencyConfigNotFoundException') return 0;
      throw error;
    }
  }
}

/** Schedule names are at most 64 characters; job ids at most 44. */
export function poolJobScheduleName(jobId: string): string {
  return `pool-job-${jobId}`;
}

/** `at(yyyy-mm-ddThh:mm:ss)` in UTC, rounded up to the second (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#one-time). */
export function atExpression(epochMs: number): string {
  return `at(${new Date(Math.ceil(epochMs / 1000) * 1000).toISOString().slice(0, 19)})`;
}

function splitAlias(alias: string): [string, string] {
  const at = alias.lastIndexOf(':');
  return [alias.slice(0, at), alias.slice(at + 1)];
}
