import { z } from 'zod';
import { durationSchema } from './duration-schema.ts';

/** The `pools:` block and the seed's `process_management:` block, as written in definition files. */

const wholeNumber = (field: string) =>
  z.number().int({ error: (i) => `${field} must be a whole number, got ${JSON.stringify(i.input)}` });

export const poolMonitoringSchema = z
  .strictObject({
    health_check_interval: durationSchema.optional().describe('How often each live worker is pinged (offline). @default 30s'),
    metrics_collection: z.boolean().optional().describe('Emit per-job metrics. @default true'),
    alerting: z.boolean().optional().describe('CloudWatch alarms on queue age, DLQ depth and worker errors. @default true'),
  })
  .describe('How workers are watched');

export const poolRecoverySchema = z
  .strictObject({
    auto_restart: z.boolean().optional().describe('Replace a crashed or hung worker and retry its job. @default true'),
    max_restarts: wholeNumber('max_restarts').optional()
      .describe('Retries of a failing job before it is dead-lettered (max_restarts + 1 attempts). @default 3'),
    restart_delay: durationSchema.optional().describe('Wait before a failed job is tried again (its visibility timeout). @default 10s'),
  })
  .describe('What happens when a job or a worker fails');

/** The seed's `process_management.pool`: sizes shared by every pool of the file. */
export const poolSizingSchema = z
  .strictObject({
    min_size: wholeNumber('min_size').optional().describe('Workers kept warm. @default 0'),
    max_size: wholeNumber('max_size').optional().describe('The concurrency cap. @default 2'),
    idle_timeout: durationSchema.optional().describe('An idle worker above min_size stops after this. @default 300s'),
  })
  .describe('Pool sizes');

export const processManagementSchema = z
  .strictObject({
    pool: poolSizingSchema.optional(),
    monitoring: poolMonitoringSchema.optional(),
    recovery: poolRecoverySchema.optional(),
  })
  .describe('Defaults of every pool declared in this file, as in the specification example');

export const poolSchema = z
  .strictObject({
    handler: z.string().min(1).describe('`path#export` relative to the definition file; receives the job\'s payload'),
    description: z.string().optional(),
    min_size: wholeNumber('min_size').optional().describe('Workers kept warm. @default process_management.pool.min_size, else 0'),
    max_size: wholeNumber('max_size').optional()
      .describe('The concurrency cap; on AWS the SQS event source\'s MaximumConcurrency (at least 2). @default process_management.pool.max_size, else 2'),
    idle_timeout: durationSchema.optional().describe('@default process_management.pool.idle_timeout, else 300s'),
    batch_size: wholeNumber('batch_size').optional().describe('Jobs handed to a worker at once (1-10). @default 1'),
    timeout: durationSchema.optional().describe('Longest one job may run (at most 15m). @default 30s'),
    memory: wholeNumber('memory').optional().describe('Worker Lambda memory in MB. @default 512'),
    priorities: z.record(z.string(), z.number()).optional()
      .describe('Lanes and their share of max_size in percent, adding up to 100. @default { normal: 100 }'),
    rate_limit: z.strictObject({
      max: wholeNumber('rate_limit.max').min(1, { error: (i) => `rate_limit.max must be at least 1, got ${i.input}` }).describe('Jobs started per window, across every worker'),
      per: durationSchema.describe('The window, e.g. 1s or 1m'),
    }).optional().describe('At most `max` job starts in each window of `per`, across every worker. @default none'),
    monitoring: poolMonitoringSchema.optional(),
    recovery: poolRecoverySchema.optional(),
  })
  .describe('A pool of workers fed by a queue (on AWS: SQS and a Lambda with capped concurrency)');

export type PoolSpec = z.infer<typeof poolSchema>;
export type ProcessManagementSpec = z.infer<typeof processManagementSchema>;
