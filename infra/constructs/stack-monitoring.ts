import { Duration, Stack } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';
import { SCHEDULE_DRIFT_METRIC } from '../../functions/scheduling/drift-metric.ts';
import { ALARM_PERIOD, WorkflowAlarms } from './workflow-alarms.ts';
import type { Workflow } from './workflow.ts';

export interface StackMonitoringProps {
  readonly workflows: readonly Workflow[];
  /** Encrypts the alarm topic; CloudWatch is allowed to use it for that. */
  readonly encryptionKey: kms.IKey;
  readonly api?: apigateway.RestApi;
  /** Dead-letter queues whose depth is alarmed on. */
  readonly deadLetterQueues: readonly sqs.IQueue[];
  /** The dispatcher, which emits the schedule drift metric. */
  readonly dispatcher?: lambda.IFunction;
  /** Further addresses subscribed to the topic (besides each workflow's `alerts.topic_email`). */
  readonly emails?: readonly string[];
  /** @default 5000 */
  readonly apiLatencyP99Ms?: number;
  /** @default 1 */
  readonly api5xxErrors?: number;
  /** A fire started this late (p99 over 5 minutes) raises the alarm. @default Duration.minutes(1) */
  readonly scheduleDrift?: Duration;
}

/**
 * Alarms, their topic and one dashboard for a stack: every workflow's alarms (WorkflowAlarms), dead-letter
 * queue depth, API 5XX errors and p99 latency, and schedule drift (how late the dispatcher starts a fire,
 * an embedded-metric-format metric of functions/scheduling/drift-metric.ts).
 */
export class StackMonitoring extends Construct {
  readonly topic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  /** By workflow name. */
  readonly workflowAlarms: ReadonlyMap<string, WorkflowAlarms>;
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: StackMonitoringProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'AlarmTopic', { displayName: 'stepflow alarms', masterKey: props.encryptionKey, enforceSSL: true });
    // CloudWatch publishes to an encrypted topic with the key
    // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html).
    props.encryptionKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    const emails = new Set([...(props.emails ?? []), ...props.workflows.flatMap((w) => (w.plan.alerts?.topicEmail ? [w.plan.alerts.topicEmail] : []))]);
    for (const email of emails) this.topic.addSubscription(new subscriptions.EmailSubscription(email));

    const workflowAlarms = new Map<string, WorkflowAlarms>();
    for (const workflow of props.workflows) {
      const alarms = new WorkflowAlarms(workflow, 'Alarms', { workflow, functions: workflow.invokedFunctions, topic: this.topic });
      workflow.addRollbackAlarms(...alarms.rollbackAlarms.map((alarm) => alarm.alarmName));
      workflowAlarms.set(workflow.plan.name, alarms);
    }
    this.workflowAlarms = workflowAlarms;

    const alarms: cloudwatch.Alarm[] = [];
    const alarm = (alarmId: string, metric: cloudwatch.IMetric, threshold: number, description: string) => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `stepflow: ${description}`,
      });
      created.addAlarmAction(new actions.SnsAction(this.topic));
      alarms.push(created);
    };
    props.deadLetterQueues.forEach((queue, i) =>
      alarm(`DeadLetters${i + 1}`, queue.metricApproximateNumberOfMessagesVisible({ period: ALARM_PERIOD, statistic: 'Maximum' }), 1, 'messages in a dead-letter queue'),
    );
    if (props.api) {
      alarm('Api5xx', props.api.metricServerError({ period: ALARM_PERIOD, statistic: 'Sum' }), props.api5xxErrors ?? 1, 'API 5XX responses');
      alarm('ApiLatencyP99', props.api.metricLatency({ period: ALARM_PERIOD, statistic: 'p99' }), props.apiLatencyP99Ms ?? 5000, 'API p99 latency');
    }
    const drift = props.dispatcher ? scheduleDriftMetric(props.dispatcher) : undefined;
    if (drift) alarm('ScheduleDrift', drift, (props.scheduleDrift ?? Duration.minutes(1)).toMilliseconds(), 'schedule fires started late (p99)');
    this.alarms = alarms;

    // A workflow alarm in another stack (a shard) stays off this dashboard: its ARN would make this stack depend on that one.
    const sameStack = (construct: IConstruct) => Stack.of(construct) === Stack.of(this);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: `${Stack.of(this).stackName}-stepflow`.slice(0, 255) });
    this.dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [...alarms, ...[...workflowAlarms.values()].flatMap((w) => w.alarms).filter(sameStack)], width: 24 }));
    for (const workflow of props.workflows) {
      const machine = workflow.reference;
      this.dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: `${workflow.plan.name}: executions`,
          left: [machine.metricStarted(), machine.metricSucceeded(), machine.metricFailed(), machine.metricTimedOut()],
          width: 12,
        }),
        new cloudwatch.GraphWidget({ title: `${workflow.plan.name}: execution time p99`, left: [machine.metricTime({ statistic: 'p99' })], width: 12 }),
      );
    }
    if (props.api) {
      this.dashboard.addWidgets(
        new cloudwatch.GraphWidget({ title: 'API requests and errors', left: [props.api.metricCount(), props.api.metricClientError(), props.api.metricServerError()], width: 12 }),
        new cloudwatch.GraphWidget({ title: 'API latency p99', left: [props.api.metricLatency({ statistic: 'p99' })], width: 12 }),
      );
    }
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Dead-letter queues', left: props.deadLetterQueues.map((q) => q.metricApproximateNumberOfMessagesVisible()), width: 12 }),
      ...(drift ? [new cloudwatch.GraphWidget({ title: 'Schedule drift p99 (ms)', left: [drift], width: 12 })] : []),
    );
  }
}

function scheduleDriftMetric(dispatcher: lambda.IFunction): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: SCHEDULE_DRIFT_METRIC.namespace,
    metricName: SCHEDULE_DRIFT_METRIC.name,
    dimensionsMap: { FunctionName: dispatcher.functionName },
    statistic: 'p99',
    period: ALARM_PERIOD,
    unit: cloudwatch.Unit.MILLISECONDS,
  });
}
