import { z } from 'zod';
import { parseDuration } from './duration.ts';

/**
 * The `alerts:` block of a workflow: thresholds of the alarms deployed with it (infra/constructs/workflow-alarms.ts).
 * Every alarm looks at 5-minute periods.
 */

const count = (field: string) =>
  z.number().int({ error: (i) => `alerts.${field} must be a whole number, got ${JSON.stringify(i.input)}` })
    .min(1, { error: (i) => `alerts.${field} must be at least 1, got ${JSON.stringify(i.input)}` });

const PERCENT = /^(\d{1,3}(?:\.\d+)?)%$/;

const durationOrPercent = z
  .union([z.number(), z.string()])
  .refine((v) => {
    if (typeof v === 'string' && PERCENT.test(v)) {
      const percent = Number(PERCENT.exec(v)![1]);
      return percent > 0 && percent <= 100;
    }
    return parseDuration(v) !== undefined;
  }, { error: (i) => `alerts.duration_p99 must be a percentage of engine.timeout (80%) or a duration (300s, 5m), got ${JSON.stringify(i.input)}` });

export const alertsSchema = z
  .strictObject({
    failed_executions: count('failed_executions').optional().describe('Alarm when this many executions fail within 5 minutes. @default 1'),
    timed_out_executions: count('timed_out_executions').optional().describe('Alarm when this many executions time out within 5 minutes. @default 1'),
    duration_p99: durationOrPercent.optional()
      .describe('Alarm when the 99th percentile of execution time exceeds this: a percentage of engine.timeout (`80%`) or a duration. @default 80% (no alarm without engine.timeout)'),
    lambda_errors: count('lambda_errors').optional().describe('Alarm when the task functions report this many errors within 5 minutes. @default 1'),
    lambda_throttles: count('lambda_throttles').optional().describe('Alarm when the task functions are throttled this many times within 5 minutes. @default 1'),
    topic_email: z.email({ error: (i) => `alerts.topic_email must be an e-mail address, got ${JSON.stringify(i.input)}` }).optional()
      .describe('Subscribe this address to the alarm topic'),
  })
  .describe('Alarm thresholds of this workflow on AWS');

export type AlertsSpec = z.infer<typeof alertsSchema>;

/** The alarm thresholds of one workflow, defaults applied. */
export interface AlertSettings {
  readonly failedExecutions: number;
  readonly timedOutExecutions: number;
  /** p99 execution time limit: a fraction of the workflow timeout, or seconds. */
  readonly durationP99: { readonly fractionOfTimeout: number } | { readonly seconds: number };
  readonly lambdaErrors: number;
  readonly lambdaThrottles: number;
  readonly topicEmail?: string;
}

export const DEFAULT_ALERTS: AlertSettings = {
  failedExecutions: 1,
  timedOutExecutions: 1,
  durationP99: { fractionOfTimeout: 0.8 },
  lambdaErrors: 1,
  lambdaThrottles: 1,
};

export function normaliseAlerts(spec: AlertsSpec | undefined): AlertSettings {
  const p99 = spec?.duration_p99;
  const durationP99 = p99 === undefined ? DEFAULT_ALERTS.durationP99
    : typeof p99 === 'string' && PERCENT.test(p99) ? { fractionOfTimeout: Number(PERCENT.exec(p99)![1]) / 100 }
      : { seconds: parseDuration(p99)! };
  return {
    failedExecutions: spec?.failed_executions ?? DEFAULT_ALERTS.failedExecutions,
    timedOutExecutions: spec?.timed_out_executions ?? DEFAULT_ALERTS.timedOutExecutions,
    durationP99,
    lambdaErrors: spec?.lambda_errors ?? DEFAULT_ALERTS.lambdaErrors,
    lambdaThrottles: spec?.lambda_throttles ?? DEFAULT_ALERTS.lambdaThrottles,
    ...(spec?.topic_email !== undefined ? { topicEmail: spec.topic_email } : {}),
  };
}
