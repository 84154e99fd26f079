import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { StateTable } from '../../../infra/constructs/state-table.ts';
import { TaskFunctions } from '../../../infra/constructs/task-functions.ts';
import { TriggerHub } from '../../../infra/constructs/trigger-hub.ts';
import { WorkflowApi } from '../../../infra/constructs/workflow-api.ts';
import { Workflow } from '../../../infra/constructs/workflow.ts';
import { FETCH_HANDLER, NO_BUNDLING, taskFunction, workflowPlan } from './fixtures/plans.ts';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown; Principal?: unknown };

describe('TriggerHub', () => {
  let template: Template;

  beforeAll(() => {
    // GIVEN two workflows, a hub with its dispatcher and the API serving the trigger endpoints
    const stack = new Stack(new App({ context: NO_BUNDLING }), 'Test');
    const plans = [workflowPlan('orders', [taskFunction('fetch', FETCH_HANDLER)]), workflowPlan('quick', [taskFunction('fetch', FETCH_HANDLER)], { mode: 'EXPRESS' })];
    const tasks = new TaskFunctions(stack, 'Tasks', { plans });
    const workflows = plans.map((plan) => new Workflow(stack, plan.name, { plan, functions: tasks.functionsFor(plan) }));
    const table = new StateTable(stack, 'State');
    const triggers = new TriggerHub(stack, 'Triggers', { table, workflows, dispatcherEntry: FETCH_HANDLER });
    new WorkflowApi(stack, 'Api', { table, workflows, triggers, entry: FETCH_HANDLER });
    template = Template.fromStack(stack);
  });

  const statementsOf = (prefix: string): Statement[] =>
    Object.entries(template.findResources('AWS::IAM::Policy'))
      .filter(([id]) => id.startsWith(prefix))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
  const functionNamed = (description: RegExp) =>
    Object.values(template.findResources('AWS::Lambda::Function')).find((f) => description.test(f.Properties.Description))!;

  it('creates one event bus, one schedule group and one encrypted, SSL-only dead-letter queue', () => {
    template.resourceCountIs('AWS::Events::EventBus', 1);
    template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
    template.resourceCountIs('AWS::SQS::Queue', 1);
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    const statements: Statement[] = Object.values(template.findResources('AWS::SQS::QueuePolicy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('lets EventBridge dead-letter the events of the stepflow-* rules the API creates (the DeadLetterConfig of their targets)', () => {
    const statements: Statement[] = Object.values(template.findResources('AWS::SQS::QueuePolicy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Principal: { Service: 'events.amazonaws.com' },
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^TriggersDeadLetterQueue/), 'Arn'] },
        Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', expect.arrayContaining([':rule/', '/stepflow-*'])] } } },
      }),
    );
  });

  it('lets only Scheduler, for this account and schedule group, assume the Scheduler role', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [Match.stringLikeRegexp('^TriggersScheduleGroup'), 'Arn'] } },
            },
          },
        ],
      },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'events.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } })],
      },
    });
  });

  it('runs the dispatcher with the table, the ARN prefix and the dead-letter queue for failed async invocations', () => {
    const dispatcher = functionNamed(/dispatches/);
    expect(dispatcher.Properties.Environment.Variables).toEqual({
      NODE_OPTIONS: '--enable-source-maps',
      STEPFLOW_TABLE: { Ref: expect.stringMatching(/^StateTable/) },
      STEPFLOW_STATE_MACHINE_ARN_PREFIX: expect.anything(),
    });
    expect(dispatcher.Properties.DeadLetterConfig).toEqual({ TargetArn: { 'Fn::GetAtt': [expect.stringMatching(/^TriggersDeadLetterQueue/), 'Arn'] } });
  });

  it('lets the dispatcher read and write table items and start every workflow, nothing more', () => {
    const statements = statementsOf('TriggersDispatcher');
    const dynamo = statements.filter((s) => JSON.stringify(s.Action).includes('dynamodb:'));
    expect(dynamo.flatMap((s) => [s.Action].flat()).sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    // It lists nothing: the table only, no index.
    expect(JSON.stringify(dynamo.map((s) => s.Resource))).not.toContain('/index/');
    const states = statements.filter((s) => JSON.stringify(s.Action).includes('states:'));
    expect(states).toEqual([
      { Effect: 'Allow', Action: 'states:StartExecution', Resource: { Ref: expect.stringMatching(/^ordersStateMachine/) } },
      { Effect: 'Allow', Action: 'states:StartExecution', Resource: { Ref: expect.stringMatching(/^quickStateMachine/) } },
    ]);
  });

  it('lets EventBridge invoke the dispatcher for the stepflow-* rules the API creates on the project bus', () => {
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
      SourceArn: { 'Fn::Join': ['', Match.arrayWith([':rule/', { Ref: Match.stringLikeRegexp('^TriggersBus') }, '/stepflow-*'])] },
    });
  });

  it('gives the API the environment of the trigger endpoints', () => {
    const env = functionNamed(/REST API/).Properties.Environment.Variables;
    expect(env).toMatchObject({
      STEPFLOW_SCHEDULE_GROUP: { Ref: expect.stringMatching(/^TriggersScheduleGroup/) },
      STEPFLOW_SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': [expect.stringMatching(/^TriggersSchedulerRole/), 'Arn'] },
      STEPFLOW_SCHEDULE_DLQ_ARN: { 'Fn::GetAtt': [expect.stringMatching(/^TriggersDeadLetterQueue/), 'Arn'] },
      STEPFLOW_EVENT_BUS: { Ref: expect.stringMatching(/^TriggersBus/) },
      STEPFLOW_TRIGGER_RETRY_ATTEMPTS: '8',
      STEPFLOW_TRIGGER_MAX_EVENT_AGE: '3600',
      STEPFLOW_DISPATCHER_ARN: { 'Fn::GetAtt': [expect.stringMatching(/^TriggersDispatcher/), 'Arn'] },
    });
  });

  it('grants the API exactly the Scheduler, PassRole and EventBridge actions of its endpoints, on stepflow resources only', () => {
    const statements = statementsOf('ApiHandlerRole').filter((s) => /scheduler:|iam:|events:/.test(JSON.stringify(s.Action)));
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'],
        Resource: { 'Fn::Join': ['', expect.arrayContaining([':schedule/', { Ref: expect.stringMatching(/^TriggersScheduleGroup/) }, '/*'])] },
      },
      {
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^TriggersSchedulerRole/), 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      },
      {
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Resource: [
          { 'Fn::GetAtt': [expect.stringMatching(/^TriggersBus/), 'Arn'] },
          { 'Fn::Join': ['', expect.arrayContaining([':event-bus/default'])] },
        ],
      },
      {
        Effect: 'Allow',
        Action: ['events:DescribeRule', 'events:PutRule', 'events:PutTargets', 'events:DeleteRule', 'events:RemoveTargets'],
        Resource: { 'Fn::Join': ['', expect.arrayContaining([':rule/', { Ref: expect.stringMatching(/^TriggersBus/) }, '/stepflow-*'])] },
      },
      {
        Effect: 'Allow',
        Action: 'events:ListRules',
        Resource: { 'Fn::Join': ['', expect.arrayContaining([':rule/', { Ref: expect.stringMatching(/^TriggersBus/) }, '/*'])] },
      },
    ]);
    const actions = statementsOf('').flatMap((s) => [s.Action].flat());
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
  });

  it('routes the trigger endpoints to the API Lambda', () => {
    const paths = Object.values(template.findResources('AWS::ApiGateway::Resource')).map((r) => r.Properties.PathPart);
    expect(paths).toEqual(expect.arrayContaining(['schedules', 'events', 'event-rules', 'flags']));
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method')).map((m) => m.Properties.HttpMethod);
    expect(methods.filter((m) => m === 'DELETE' || m === 'PUT')).toEqual(['DELETE', 'DELETE', 'PUT']); // schedules/{id}, event-rules/{name}, flags/{name}
  });
});
