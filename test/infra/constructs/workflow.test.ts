import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TaskFunctions } from '../../../infra/constructs/task-functions.ts';
import { stateMachineName } from '../../../infra/constructs/private/names.ts';
import { Workflow } from '../../../infra/constructs/workflow.ts';
import { FETCH_HANDLER, NO_BUNDLING, STORE_HANDLER, taskFunction, workflowPlan } from './fixtures/plans.ts';

describe('Workflow', () => {
  const fetch = taskFunction('fetch', FETCH_HANDLER);
  const store = taskFunction('store', STORE_HANDLER);
  let template: Template;
  let stack: Stack;

  beforeAll(() => {
    // GIVEN a STANDARD workflow using fetch and an EXPRESS one using store, sharing one TaskFunctions
    stack = new Stack(new App({ context: NO_BUNDLING }), 'Test');
    const standard = workflowPlan('standard', [fetch]);
    const express = workflowPlan('express', [store], { mode: 'EXPRESS' });
    const tasks = new TaskFunctions(stack, 'Tasks', { plans: [standard, express] });
    new Workflow(stack, 'Standard', { plan: standard, functions: tasks.functionsFor(standard) });
    new Workflow(stack, 'Express', { plan: express, functions: tasks.functionsFor(express) });
    template = Template.fromStack(stack);
  });

  const logicalIdOf = (prefix: string, type: string): string => {
    const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
    expect(ids).toHaveLength(1);
    return ids[0];
  };

  it('creates the state machine type the plan asks for', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineType: 'STANDARD' });
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineType: 'EXPRESS' });
  });

  it('logs every event with execution data to its own encrypted log group, and traces with X-Ray', () => {
    template.allResourcesProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: true,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: Match.anyValue() } }],
      },
      TracingConfiguration: { Enabled: true },
    });
    const executionLogs = template.findResources('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('^/aws/vendedlogs/states/')])] } },
    });
    expect(Object.values(executionLogs).map((g) => g.Properties.KmsKeyId)).toEqual([
      { 'Fn::GetAtt': [expect.stringMatching(/^StandardLogsKey/), 'Arn'] },
      { 'Fn::GetAtt': [expect.stringMatching(/^ExpressLogsKey/), 'Arn'] },
    ]);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('fills each placeholder with the ARN of its function', () => {
    const fetchFn = logicalIdOf('TasksFetchFunction', 'AWS::Lambda::Function');
    const machines = template.findResources('AWS::StepFunctions::StateMachine');
    const standard = Object.entries(machines).find(([id]) => id.startsWith('Standard'))![1];
    expect(standard.Properties.DefinitionSubstitutions).toEqual({ TaskFunction_fetch: { 'Fn::GetAtt': [fetchFn, 'Arn'] } });
    // The definition itself is the plan's ASL with the placeholder left for CloudFormation to fill.
    expect(JSON.parse(standard.Properties.DefinitionString).States.fetch.Resource).toBe('${TaskFunction_fetch}');
  });

  it('may invoke exactly the functions its ASL names', () => {
    const fetchFn = logicalIdOf('TasksFetchFunction', 'AWS::Lambda::Function');
    const role = logicalIdOf('StandardStateMachineRole', 'AWS::IAM::Role');
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: role }],
      PolicyDocument: {
        Statement: Match.arrayWith([{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [fetchFn, 'Arn'] } }]),
      },
    });
    const invokeStatements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) =>
      p.Properties.PolicyDocument.Statement.filter((s: { Action: unknown }) => s.Action === 'lambda:InvokeFunction'),
    );
    expect(invokeStatements).toHaveLength(2);
  });

  it('names the execution ARN pattern of STANDARD workflows only', () => {
    const workflows = stack.node.children.filter((c): c is Workflow => c instanceof Workflow);
    const byName = Object.fromEntries(workflows.map((w) => [w.plan.name, w]));
    expect(stack.resolve(byName.standard.executionArnPattern)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':states:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':execution:Test-standard:*']],
    });
    expect(byName.express.executionArnPattern).toBeUndefined();
  });

  it('names every state machine <stack>-<workflow>, -express for Express, so run-time code can derive its ARN', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineName: 'Test-standard' });
    // The workflow is called "express": a change of mode gives a new name, so CloudFormation can replace it.
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineName: 'Test-express-express' });
  });

  it('encrypts execution data with the project key and keeps execution log groups, except after a failed first deploy', () => {
    template.allResourcesProperties('AWS::StepFunctions::StateMachine', {
      EncryptionConfiguration: { Type: 'CUSTOMER_MANAGED_KMS_KEY', KmsKeyId: Match.anyValue() },
    });
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup', { Properties: { LogGroupName: Match.anyValue() } }));
    expect(groups.map((g) => [g.DeletionPolicy, g.UpdateReplacePolicy])).toEqual([
      ['RetainExceptOnCreate', 'Retain'],
      ['RetainExceptOnCreate', 'Retain'],
    ]);
    // The name ends with the stack id's last group: a group a destroy retained never clashes with the next creation.
    expect(JSON.stringify(groups[0].Properties.LogGroupName)).toContain('AWS::StackId');
  });

  it('leaves execution data out of the logs when the input schema marks a property sensitive', () => {
    const sensitive = new Stack(new App({ context: NO_BUNDLING }), 'Sensitive');
    const plan = { ...workflowPlan('pay', [fetch]), inputSchema: { type: 'object', properties: { card: { type: 'string', writeOnly: true } } } };
    new Workflow(sensitive, 'Pay', { plan, functions: new TaskFunctions(sensitive, 'Tasks', { plans: [plan] }).functionsFor(plan) });
    Template.fromStack(sensitive).hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ IncludeExecutionData: false }),
    });
  });

  it('keeps long state machine names within 80 characters, distinct and stable', () => {
    const long = `Stack${'x'.repeat(60)}`;
    const stack2 = new Stack(new App({ context: NO_BUNDLING }), long);
    const plans = ['report_daily_one', 'report_daily_two'].map((name) => workflowPlan(name, [fetch]));
    const tasks = new TaskFunctions(stack2, 'Tasks', { plans });
    const names = plans.map((plan) => new Workflow(stack2, plan.name, { plan, functions: tasks.functionsFor(plan) }).stateMachineName);
    expect(names.map((n) => n.length)).toEqual([80, 80]);
    expect(names[0]).not.toEqual(names[1]);
    expect(names[0]).toMatch(new RegExp(`^${long}-repor-[0-9a-f]{8}$`));
    expect(stateMachineName(long, 'report_daily_one')).toBe(names[0]);
  });

  it('reports every placeholder it has no function for', () => {
    const stack2 = new Stack(new App({ context: NO_BUNDLING }), 'Missing');
    const plan = workflowPlan('incomplete', [fetch, store], { serviceTask: { name: 'notify', timeoutSeconds: 30 } });
    expect(() => new Workflow(stack2, 'Incomplete', { plan, functions: {} })).toThrow(
      'Workflow "incomplete": no function given for placeholder(s) ServiceInvoker (serviceInvoker), TaskFunction_fetch, TaskFunction_store',
    );
  });
});

describe('Workflow.fromDefinitionFile', () => {
  it('compiles a definition file and deploys it with its own task functions and service invoker', () => {
    const stack = new Stack(new App({ context: NO_BUNDLING }), 'FromFile');
    const workflow = Workflow.fromDefinitionFile(stack, 'Seed', new URL('../../../definitions/seed-example.yaml', import.meta.url).pathname);
    expect(workflow.plan.functions.map((f) => f.id)).toEqual(['data_processing']);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    template.resourceCountIs('AWS::Lambda::Function', 2); // data_processing + service invoker
  });

  it('reports the diagnostics of a broken file', () => {
    const stack = new Stack(new App({ context: NO_BUNDLING }), 'Broken');
    expect(() => Workflow.fromDefinitionFile(stack, 'Missing', '/nonexistent/definition.yaml')).toThrow(/has errors/);
  });
});
