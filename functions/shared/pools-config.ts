import { z } from 'zod';
import { laneConcurrency } from '../../core/definition/pools.ts';
import type { PoolDefinition } from '../../core/definition/pool-model.ts';

/**
 * `STEPFLOW_POOLS`: the pools the deployed API serves, as compact JSON (Lambda's environment holds 4 KB in
 * all, https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html): queue names under one URL
 * and one ARN prefix, and per lane only its event source mapping's UUID. Written by
 * infra/constructs/private/pool-api-access.ts.
 */
export const poolsEnvSchema = z.object({
  /** `https://sqs.<region>.<suffix>/<account>/`. */
  queueUrlPrefix: z.string().min(1),
  /** `arn:<partition>:sqs:<region>:<account>:`. */
  queueArnPrefix: z.string().min(1),
  /** The role EventBridge Scheduler assumes to send a job delayed past SQS's 15 minutes; without it such delays are refused. */
  schedulerRoleArn: z.string().min(1).optional(),
  /** The schedule group of those one-time schedules. */
  scheduleGroup: z.string().min(1).optional(),
  pools: z.record(
    z.string(),
    z.object({
      description: z.string().optional(),
      minSize: z.number().int().min(0),
      maxSize: z.number().int().min(1),
      batchSize: z.number().int().min(1),
      timeoutSeconds: z.number().int().min(1),
      idleTimeoutSeconds: z.number().int().min(1),
      maxRestarts: z.number().int().min(0),
      restartDelaySeconds: z.number().int().min(0),
      /** The worker's `live` alias (`<function name>:live`) when min_size was above 0 at deploy time. */
      alias: z.string().min(1).optional(),
      /** Lanes in priority order: `[name, share, queue name, dead-letter queue name, event source mapping UUID]`. */
      lanes: z.array(z.tuple([z.string().min(1), z.number().positive(), z.string().min(1), z.string().min(1), z.string().min(1)])).min(1),
    }),
  ),
});

export type PoolsEnv = z.infer<typeof poolsEnvSchema>;

/** One lane of a deployed pool as the API reaches it. */
export interface DeployedLane {
  readonly name: string;
  readonly url: string;
  readonly dlqUrl: string;
  readonly arn: string;
  readonly mappingUuid: string;
}

/** A deployed pool: its definition as deployed, its lanes, and its `live` alias if any. */
export interface DeployedPool {
  readonly definition: PoolDefinition;
  readonly lanes: readonly DeployedLane[];
  readonly alias?: string;
}

export interface PoolsConfig {
  readonly pools: Readonly<Record<string, DeployedPool>>;
  readonly schedulerRoleArn?: string;
  readonly scheduleGroup?: string;
}

/** The deployed pools of `STEPFLOW_POOLS` (already parsed by the schema). */
export function poolsConfig(env: PoolsEnv): PoolsConfig {
  const pools: Record<string, DeployedPool> = {};
  for (const [name, p] of Object.entries(env.pools)) {
    const shares = Object.fromEntries(p.lanes.map(([lane, share]) => [lane, share]));
    const definition: PoolDefinition = {
      name,
      ...(p.description ? { description: p.description } : {}),
      // The API never runs the handler: the worker Lambda holds it.
      handler: { file: '', exportName: '' },
      minSize: p.minSize,
      maxSize: p.maxSize,
      idleTimeoutSeconds: p.idleTimeoutSeconds,
      batchSize: p.batchSize,
      timeoutSeconds: p.timeoutSeconds,
      memoryMb: 0,
      lanes: laneConcurrency(shares, p.maxSize),
      monitoring: { healthCheckIntervalSeconds: 0, metricsCollection: false, alerting: false },
      recovery: { autoRestart: true, maxRestarts: p.maxRestarts, restartDelaySeconds: p.restartDelaySeconds },
    };
    pools[name] = {
      definition,
      ...(p.alias ? { alias: p.alias } : {}),
      lanes: p.lanes.map(([lane, , queue, dlq, mappingUuid]) => ({
        name: lane,
        url: `${env.queueUrlPrefix}${queue}`,
        dlqUrl: `${env.queueUrlPrefix}${dlq}`,
        arn: `${env.queueArnPrefix}${queue}`,
        mappingUuid,
      })),
    };
  }
  return {
    pools,
    ...(env.schedulerRoleArn ? { schedulerRoleArn: env.schedulerRoleArn } : {}),
    ...(env.scheduleGroup ? { scheduleGroup: env.scheduleGroup } : {}),
  };
}
