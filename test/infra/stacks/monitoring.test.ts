import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ALERTS } from '../../../core/definition/alerts.ts';
import { scheduleDriftLine } from '../../../functions/scheduling/drift-metric.ts';
import { StepflowStack } from '../../../infra/stacks/stepflow-stack.ts';
import { FETCH_HANDLER, NO_BUNDLING, STORE_HANDLER, taskFunction, workflowPlan } from '../constructs/fixtures/plans.ts';

const timed = { ...workflowPlan('orders', [taskFunction('fetch', FETCH_HANDLER), taskFunction('store', STORE_HANDLER)]), timeoutSeconds: 600 };
const tuned = {
  ...workflowPlan('reports', [taskFunction('store', STORE_HANDLER)]),
  alerts: { ...DEFAULT_ALERTS, failedExecutions: 5, durationP99: { seconds: 90 }, topicEmail: 'ops@example.com' },
};
const untimed = workflowPlan('untimed', [taskFunction('fetch', FETCH_HANDLER)]);

const alarmsOf = (template: Template, prefix: string) =>
  Object.entries(template.findResources('AWS::CloudWatch::Alarm')).filter(([id]) => id.startsWith(prefix)).map(([, alarm]) => alarm.Properties);

describe('monitoring', () => {
  let template: Template;

  beforeAll(() => {
    const stack = new StepflowStack(new App({ context: NO_BUNDLING }), 'Watched', { plans: [timed, tuned, untimed], alarmEmails: ['oncall@example.com'] });
    template = Template.fromStack(stack);
  });

  it('alarms on failed and timed-out executions, p99 duration against the timeout, task errors and throttles', () => {
    const orders = alarmsOf(template, 'WorkflowOrdersAlarms');
    expect(orders.map((a) => a.MetricName ?? 'math').sort()).toEqual(['ExecutionTime', 'ExecutionsFailed', 'ExecutionsTimedOut', 'math', 'math']);
    const p99 = orders.find((a) => a.MetricName === 'ExecutionTime');
    expect(p99).toMatchObject({ ExtendedStatistic: 'p99', Threshold: 480_000, Period: 300 }); // 80% of 600 s
    const errors = orders.find((a) => JSON.stringify(a.Metrics ?? []).includes('"Errors"'));
    // Both task functions summed in one expression
    expect(errors.Metrics.filter((m: { Expression?: string }) => m.Expression)[0].Expression).toBe('m0 + m1');
    // Without a timeout there is nothing to compare p99 with
    expect(alarmsOf(template, 'WorkflowUntimedAlarms').map((a) => a.MetricName)).not.toContain('ExecutionTime');
  });

  it('takes the thresholds of the alerts block', () => {
    const reports = alarmsOf(template, 'WorkflowReportsAlarms');
    expect(reports.find((a) => a.MetricName === 'ExecutionsFailed').Threshold).toBe(5);
    expect(reports.find((a) => a.MetricName === 'ExecutionTime').Threshold).toBe(90_000);
  });

  it('sends every alarm to one topic encrypted with the project key, with the e-mail subscriptions', () => {
    const topics = template.findResources('AWS::SNS::Topic');
    expect(Object.keys(topics)).toHaveLength(1);
    const [topicId, topic] = Object.entries(topics)[0];
    expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^LogsKey/), 'Arn'] });
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
    const emails = Object.values(template.findResources('AWS::SNS::Subscription')).map((s) => s.Properties.Endpoint).sort();
    expect(emails).toEqual(['oncall@example.com', 'ops@example.com']);
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'AllowCloudWatchAlarmsToPublish', Principal: { Service: 'cloudwatch.amazonaws.com' } })]) },
    });
  });

  it('alarms on dead-letter queue depth, API 5XX and latency, and schedule drift; one dashboard', () => {
    const stackAlarms = alarmsOf(template, 'Monitoring');
    expect(stackAlarms.filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible')).toHaveLength(2);
    expect(stackAlarms.map((a) => a.MetricName)).toEqual(expect.arrayContaining(['5XXError', 'Latency', 'ScheduleDrift']));
    const drift = stackAlarms.find((a) => a.MetricName === 'ScheduleDrift');
    expect(drift).toMatchObject({ Namespace: 'stepflow', Threshold: 60_000, Dimensions: [{ Name: 'FunctionName', Value: { Ref: expect.stringMatching(/^TriggersDispatcher/) } }] });
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  it('the dispatcher writes drift as an embedded metric matching the alarm', () => {
    const line = JSON.parse(scheduleDriftLine(1500, 'fn', new Date(0)));
    expect(line).toEqual({
      _aws: { Timestamp: 0, CloudWatchMetrics: [{ Namespace: 'stepflow', Dimensions: [['FunctionName']], Metrics: [{ Name: 'ScheduleDrift', Unit: 'Milliseconds' }] }] },
      FunctionName: 'fn',
      ScheduleDrift: 1500,
    });
  });

  it('can be left out', () => {
    const bare = Template.fromStack(new StepflowStack(new App({ context: NO_BUNDLING }), 'Bare', { plans: [timed], monitoring: false }));
    bare.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    bare.resourceCountIs('AWS::SNS::Topic', 0);
  });
});
