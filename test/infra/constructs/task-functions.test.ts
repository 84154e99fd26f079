import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TaskFunctions } from '../../../infra/constructs/task-functions.ts';
import { FETCH_HANDLER, NO_BUNDLING, STORE_HANDLER, taskFunction, workflowPlan } from './fixtures/plans.ts';

describe('TaskFunctions', () => {
  let template: Template;
  let tasks: TaskFunctions;

  beforeAll(() => {
    // GIVEN two workflows that share the fetch handler (with different timeouts and memory)
    const app = new App({ context: NO_BUNDLING });
    const stack = new Stack(app, 'Test');
    const first = workflowPlan('first', [taskFunction('fetch', FETCH_HANDLER, { timeoutSeconds: 30 }), taskFunction('store', STORE_HANDLER)]);
    const second = workflowPlan('second', [taskFunction('fetch', FETCH_HANDLER, { timeoutSeconds: 120, memoryMb: 1024 })]);
    tasks = new TaskFunctions(stack, 'Tasks', { plans: [first, second] });
    template = Template.fromStack(stack);
  });

  it('creates one Lambda per distinct handler', () => {
    template.resourceCountIs('AWS::Lambda::Function', 2);
    expect([...tasks.functions.keys()]).toEqual(['fetch', 'store']);
  });

  it('runs nodejs24.x on arm64 with the export as handler, X-Ray active and JSON logs', () => {
    template.allResourcesProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON', LogGroup: Match.anyValue() }),
      Environment: { Variables: Match.objectLike({ NODE_OPTIONS: '--enable-source-maps' }) },
    });
  });

  it('covers the longest task timeout plus a margin and the largest memory of a shared handler', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('fetch'),
      Timeout: 130,
      MemorySize: 1024,
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('store'),
      Timeout: 70,
      MemorySize: 256,
    });
  });

  it('gives each function its own log group with retention', () => {
    template.resourceCountIs('AWS::Logs::LogGroup', 2);
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('lets a function role write only to its own log group (no managed policies)', () => {
    template.allResourcesProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('TasksFetchLogs'), 'Arn'] } }),
        ]),
      },
    });
  });

  it('maps every placeholder of a plan to its function', () => {
    const plan = workflowPlan('first', [taskFunction('fetch', FETCH_HANDLER), taskFunction('store', STORE_HANDLER)]);
    expect(Object.keys(tasks.functionsFor(plan))).toEqual(['TaskFunction_fetch', 'TaskFunction_store']);
    expect(tasks.forPlaceholder('TaskFunction_fetch')).toBe(tasks.functions.get('fetch'));
  });

  it('caps the timeout at 900 seconds', () => {
    const stack = new Stack(new App({ context: NO_BUNDLING }), 'Cap');
    new TaskFunctions(stack, 'Tasks', { plans: [workflowPlan('long', [taskFunction('fetch', FETCH_HANDLER, { timeoutSeconds: 900 })])] });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Timeout: 900 });
  });

  it('rejects one id naming two handlers', () => {
    const stack = new Stack(new App({ context: NO_BUNDLING }), 'Conflict');
    const plans = [
      workflowPlan('a', [taskFunction('fetch', FETCH_HANDLER)]),
      workflowPlan('b', [taskFunction('fetch', FETCH_HANDLER, { handler: { file: FETCH_HANDLER, exportName: 'other' } })]),
    ];
    expect(() => new TaskFunctions(stack, 'Tasks', { plans })).toThrow(/task function id "fetch" names two handlers/);
  });
});
