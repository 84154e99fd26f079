import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { beforeAll, describe, expect, it } from 'vitest';
import { StateTable } from '../../../infra/constructs/state-table.ts';
import { TaskFunctions } from '../../../infra/constructs/task-functions.ts';
import { WorkflowApi } from '../../../infra/constructs/workflow-api.ts';
import { Workflow } from '../../../infra/constructs/workflow.ts';
import { FETCH_HANDLER, NO_BUNDLING, taskFunction, workflowPlan } from './fixtures/plans.ts';

function apiStack(props: { authorizationType?: apigateway.AuthorizationType } = {}): Template {
  const stack = new Stack(new App({ context: NO_BUNDLING }), 'Test');
  const standard = workflowPlan('orders', [taskFunction('fetch', FETCH_HANDLER)]);
  const express = { ...workflowPlan('quick', [taskFunction('fetch', FETCH_HANDLER)], { mode: 'EXPRESS' }), inputSchema: { type: 'object' } };
  const tasks = new TaskFunctions(stack, 'Tasks', { plans: [standard, express] });
  const workflows = [standard, express].map((plan) => new Workflow(stack, plan.name, { plan, functions: tasks.functionsFor(plan) }));
  new WorkflowApi(stack, 'Api', { table: new StateTable(stack, 'State'), workflows, entry: FETCH_HANDLER, ...props });
  return Template.fromStack(stack);
}

describe('WorkflowApi', () => {
  let template: Template;

  beforeAll(() => {
    template = apiStack();
  });

  it('serves the workflow routes, every method with IAM authorization and request validation', () => {
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method'));
    // workflows, executions, execution, history, logs; start, cancel, redrive
    expect(methods.map((m) => m.Properties.HttpMethod).sort()).toEqual(['GET', 'GET', 'GET', 'GET', 'GET', 'POST', 'POST', 'POST']);
    for (const method of methods) {
      expect(method.Properties).toMatchObject({
        AuthorizationType: 'AWS_IAM',
        RequestValidatorId: { Ref: expect.stringMatching(/^ApiValidator/) },
        Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' },
      });
    }
    const paths = Object.values(template.findResources('AWS::ApiGateway::Resource')).map((r) => r.Properties.PathPart);
    expect(paths.sort()).toEqual(['cancel', 'executions', 'history', 'logs', 'redrive', 'workflows', '{id}', '{name}']);
    template.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true, ValidateRequestParameters: true });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      RequestModels: { 'application/json': { Ref: Match.stringLikeRegexp('StartExecutionBody') } },
      RequestParameters: { 'method.request.path.name': true },
    });
  });

  it('logs access as JSON, traces with X-Ray and throttles the stage', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      TracingEnabled: true,
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('^\\{') },
      MethodSettings: [
        Match.objectLike({ HttpMethod: '*', ResourcePath: '/*', LoggingLevel: 'ERROR', ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 }),
      ],
    });
  });

  it('configures the API Lambda with the table and an ARN prefix; the workflows go into the bundle, not the environment', () => {
    const fn = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('REST API') } }))[0];
    const env = fn.Properties.Environment.Variables;
    expect(env.STEPFLOW_TABLE).toEqual({ Ref: expect.stringMatching(/^StateTable/) });
    expect(env.STEPFLOW_WORKFLOWS).toBeUndefined();
    expect(env.STEPFLOW_STATE_MACHINE_ARN_PREFIX).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':states:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':stateMachine:']],
    });
    // No trigger endpoints without a TriggerHub.
    expect(Object.keys(env).filter((k) => /SCHEDULE|EVENT_BUS|DISPATCHER/.test(k))).toEqual([]);
  });

  it('lets the API start executions and stop or redrive them, on its own workflows only', () => {
    const statements = Object.entries(template.findResources('AWS::IAM::Policy'))
      .filter(([id]) => id.startsWith('ApiHandlerRole'))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    const states = statements.filter((s) => JSON.stringify(s.Action).includes('states:'));
    expect(states).toEqual([
      { Effect: 'Allow', Action: 'states:StartExecution', Resource: { Ref: expect.stringMatching(/^ordersStateMachine/) } },
      {
        Effect: 'Allow',
        Action: ['states:StopExecution', 'states:RedriveExecution', 'states:GetExecutionHistory'],
        Resource: { 'Fn::Join': ['', expect.arrayContaining([':execution:Test-orders:*'])] },
      },
      // EXPRESS executions cannot be stopped or redriven: start only (no TimeoutSeconds, so never awaited).
      { Effect: 'Allow', Action: 'states:StartExecution', Resource: { Ref: expect.stringMatching(/^quickStateMachine/) } },
    ]);
  });

  it('takes another authorization type', () => {
    const open = apiStack({ authorizationType: apigateway.AuthorizationType.NONE });
    open.allResourcesProperties('AWS::ApiGateway::Method', { AuthorizationType: 'NONE' });
  });
});
