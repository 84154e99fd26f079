import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { DEFAULT_ALERTS, type AlertSettings } from '../../core/definition/alerts.ts';
import type { Workflow } from './workflow.ts';

/** Every alarm looks at one 5-minute period. */
export const ALARM_PERIOD = Duration.minutes(5);

/** CloudWatch metric math takes at most 10 metrics in one alarm's expression. */
const METRICS_PER_EXPRESSION = 10;

export interface WorkflowAlarmsProps {
  readonly workflow: Workflow;
  /** The Lambdas its Task states invoke. */
  readonly functions: readonly lambda.IFunction[];
  /** Where alarms notify. */
  readonly topic: sns.ITopic;
  /** @default - the workflow's `alerts:` block, or DEFAULT_ALERTS */
  readonly settings?: AlertSettings;
}

/**
 * The alarms of one workflow, each notifying the topic: executions failed and timed out, p99 execution time
 * against the workflow timeout, and errors and throttles of its task functions (summed with metric math,
 * one alarm per ten functions). `rollbackAlarms` are those a gradual deployment watches.
 * Step Functions metrics: https://docs.aws.amazon.com/step-functions/latest/dg/procedure-cw-metrics.html
 */
export class WorkflowAlarms extends Construct {
  readonly alarms: readonly cloudwatch.Alarm[];
  /** Failed, timed-out executions and task function errors: signs a new version is worse. */
  readonly rollbackAlarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: WorkflowAlarmsProps) {
    super(scope, id);
    const settings = props.settings ?? props.workflow.plan.alerts ?? DEFAULT_ALERTS;
    const machine = props.workflow.stateMachine;
    const name = props.workflow.plan.name;
    const alarms: cloudwatch.Alarm[] = [];
    const alarm = (alarmId: string, metric: cloudwatch.IMetric, threshold: number, description: string) => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `stepflow ${name}: ${description}`,
      });
      created.addAlarmAction(new actions.SnsAction(props.topic));
      alarms.push(created);
      return created;
    };

    const failed = alarm('ExecutionsFailed', machine.metricFailed({ period: ALARM_PERIOD, statistic: 'Sum' }), settings.failedExecutions, `${settings.failedExecutions}+ failed executions in 5 minutes`);
    const timedOut = alarm('ExecutionsTimedOut', machine.metricTimedOut({ period: ALARM_PERIOD, statistic: 'Sum' }), settings.timedOutExecutions, `${settings.timedOutExecutions}+ timed-out executions in 5 minutes`);
    const limitMs = p99LimitMs(settings, props.workflow.plan.timeoutSeconds);
    if (limitMs !== undefined) {
      alarm('DurationP99', machine.metricTime({ period: ALARM_PERIOD, statistic: 'p99' }), limitMs, `p99 execution time at or over ${limitMs} ms`);
    }
    const errors: cloudwatch.Alarm[] = [];
    chunks(props.functions, METRICS_PER_EXPRESSION).forEach((group, index) => {
      const suffix = index === 0 ? '' : String(index + 1);
      errors.push(alarm(`TaskErrors${suffix}`, sum(group, (fn, i) => fn.metricErrors({ period: ALARM_PERIOD, statistic: 'Sum', label: `e${i}` })), settings.lambdaErrors, `${settings.lambdaErrors}+ task function errors in 5 minutes`));
      alarm(`TaskThrottles${suffix}`, sum(group, (fn, i) => fn.metricThrottles({ period: ALARM_PERIOD, statistic: 'Sum', label: `t${i}` })), settings.lambdaThrottles, `${settings.lambdaThrottles}+ task function throttles in 5 minutes`);
    });
    this.alarms = alarms;
    this.rollbackAlarms = [failed, timedOut, ...errors];
  }
}

/** The p99 limit in milliseconds; none for a share of the timeout when the workflow has no timeout. */
export function p99LimitMs(settings: AlertSettings, timeoutSeconds: number | undefined): number | undefined {
  if ('seconds' in settings.durationP99) return settings.durationP99.seconds * 1000;
  if (timeoutSeconds === undefined) return undefined;
  return Math.round(timeoutSeconds * 1000 * settings.durationP99.fractionOfTimeout);
}

function sum(functions: readonly lambda.IFunction[], metric: (fn: lambda.IFunction, index: number) => cloudwatch.IMetric): cloudwatch.IMetric {
  const usingMetrics = Object.fromEntries(functions.map((fn, i) => [`m${i}`, metric(fn, i)]));
  return new cloudwatch.MathExpression({ expression: Object.keys(usingMetrics).join(' + ') || '0', usingMetrics, period: ALARM_PERIOD });
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}
