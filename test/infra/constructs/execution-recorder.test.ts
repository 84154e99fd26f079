import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExecutionRecorder } from '../../../infra/constructs/execution-recorder.ts';
import { StateTable } from '../../../infra/constructs/state-table.ts';
import { TaskFunctions } from '../../../infra/constructs/task-functions.ts';
import { Workflow } from '../../../infra/constructs/workflow.ts';
import { FETCH_HANDLER, NO_BUNDLING, taskFunction, workflowPlan } from './fixtures/plans.ts';

/** `count` workflows sharing one handler, and a recorder for them. */
function recorderStack(count: number, arnsPerRule?: number): Template {
  const stack = new Stack(new App({ context: NO_BUNDLING }), 'Test');
  const plans = Array.from({ length: count }, (_, i) => workflowPlan(`wf${i}`, [taskFunction('fetch', FETCH_HANDLER)]));
  const tasks = new TaskFunctions(stack, 'Tasks', { plans });
  const workflows = plans.map((plan, i) => new Workflow(stack, `Wf${i}`, { plan, functions: tasks.functionsFor(plan) }));
  const table = new StateTable(stack, 'State');
  new ExecutionRecorder(stack, 'Recorder', { table, workflows, entry: FETCH_HANDLER, arnsPerRule });
  return Template.fromStack(stack);
}

describe('ExecutionRecorder', () => {
  let template: Template;

  beforeAll(() => {
    template = recorderStack(2);
  });

  it('matches status changes of exactly the given state machines', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        'detail': { stateMachineArn: [{ Ref: Match.stringLikeRegexp('^Wf0StateMachine') }, { Ref: Match.stringLikeRegexp('^Wf1StateMachine') }] },
      },
    });
  });

  it('delivers to the recorder with a retry policy and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RecorderFunction'), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RecorderDeadLetterQueue'), 'Arn'] } },
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 21600 },
        }),
      ],
    });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    template.hasResourceProperties('AWS::Lambda::Function', {
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RecorderDeadLetterQueue'), 'Arn'] } },
      Environment: { Variables: { NODE_OPTIONS: '--enable-source-maps', STEPFLOW_TABLE: { Ref: Match.anyValue() }, STEPFLOW_STATE_MACHINE_ARN_PREFIX: Match.anyValue() } },
    });
  });

  it('lets the recorder update items, nothing more', () => {
    const recorderPolicies = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([id]) => id.startsWith('RecorderRole'));
    const dynamoActions = recorderPolicies
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement)
      .flatMap((s: { Action: string | string[] }) => [s.Action].flat())
      .filter((a: string) => a.startsWith('dynamodb:'));
    expect(dynamoActions).toEqual(['dynamodb:UpdateItem']);
  });

  it('splits many state machines over several rules', () => {
    const many = recorderStack(5, 2);
    many.resourceCountIs('AWS::Events::Rule', 3);
  });
});

describe('ExecutionRecorder with an Express workflow', () => {
  it('subscribes the recorder to the execution-level events of Express log groups only', () => {
    const stack = new Stack(new App({ context: NO_BUNDLING }), 'Test');
    const standard = workflowPlan('standard', [taskFunction('fetch', FETCH_HANDLER)]);
    const express = workflowPlan('quick', [taskFunction('fetch', FETCH_HANDLER)], { mode: 'EXPRESS' });
    const tasks = new TaskFunctions(stack, 'Tasks', { plans: [standard, express] });
    const workflows = [standard, express].map((plan) => new Workflow(stack, plan.name, { plan, functions: tasks.functionsFor(plan) }));
    new ExecutionRecorder(stack, 'Recorder', { table: new StateTable(stack, 'State'), workflows, entry: FETCH_HANDLER });
    const template = Template.fromStack(stack);

    template.resourceCountIs('AWS::Logs::SubscriptionFilter', 1);
    template.hasResourceProperties('AWS::Logs::SubscriptionFilter', {
      LogGroupName: { Ref: Match.stringLikeRegexp('^quickExecutionLogs') },
      DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Recorder.*Function'), 'Arn'] },
      FilterPattern: Match.stringLikeRegexp('\\$\\.type = "ExecutionStarted" \\|\\| .*\\$\\.type = "ExecutionAborted"'),
    });
    template.hasResourceProperties('AWS::Lambda::Permission', { Principal: Match.stringLikeRegexp('^logs\\.'), Action: 'lambda:InvokeFunction' });
  });
});
