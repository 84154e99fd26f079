import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import { beforeAll, describe, expect, it } from 'vitest';
import { StepflowStack, WORKFLOW_TAG } from '../../../infra/stacks/stepflow-stack.ts';
import { FETCH_HANDLER, NO_BUNDLING, STORE_HANDLER, taskFunction, workflowPlan } from '../constructs/fixtures/plans.ts';

const plans = [workflowPlan('orders', [taskFunction('fetch', FETCH_HANDLER)]), workflowPlan('reports', [taskFunction('store', STORE_HANDLER)])];

describe('production defaults', () => {
  let stack: StepflowStack;
  let template: Template;

  beforeAll(() => {
    stack = new StepflowStack(new App({ context: NO_BUNDLING }), 'Prod', { plans, tags: { team: 'data' } });
    template = Template.fromStack(stack);
  });

  it('validates the body of every method that takes one against a model, with the request validator', () => {
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method'));
    const withBody = methods.filter((m) => ['POST', 'PUT'].includes(m.Properties.HttpMethod));
    const bodiless = new Set(['cancel', 'redrive']);
    const resources = template.findResources('AWS::ApiGateway::Resource');
    for (const method of withBody) {
      const path = resources[method.Properties.ResourceId.Ref]?.Properties.PathPart;
      if (bodiless.has(path)) continue;
      expect(method.Properties.RequestModels, `${method.Properties.HttpMethod} ${path}`).toEqual({ 'application/json': { Ref: expect.stringMatching(/^Api/) } });
      expect(method.Properties.RequestValidatorId).toBeDefined();
    }
    const models = Object.values(template.findResources('AWS::ApiGateway::Model')).map((m) => m.Properties.Name);
    expect(models.sort()).toEqual(['CreateEventRuleBody', 'CreateScheduleBody', 'PublishEventBody', 'SetFlagBody', 'StartExecutionBody']);
    // Draft 4, strict objects: an unknown key is refused at the gateway
    template.hasResourceProperties('AWS::ApiGateway::Model', {
      Name: 'CreateScheduleBody',
      Schema: Match.objectLike({ $schema: 'http://json-schema.org/draft-04/schema#', additionalProperties: false, required: ['workflow'] }),
    });
  });

  it('answers a body the gateway refuses in the API error shape', () => {
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'BAD_REQUEST_BODY',
      StatusCode: '400',
      ResponseTemplates: { 'application/json': Match.stringLikeRegexp('^\\{"error":\\{"code":"invalid_request"') },
    });
  });

  it('sets retention on every log group, the API Gateway execution log group included', () => {
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: { 'Fn::Join': ['', ['API-Gateway-Execution-Logs_', { Ref: Match.stringLikeRegexp('^Api') }, '/prod']] },
    });
    // The stage waits for the group, so API Gateway never creates it without retention first.
    const stage = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0];
    expect(stage.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^ApiExecutionLogs/)]));
  });

  it('tags every resource with the stack tags and each workflow resource with its workflow', () => {
    for (const machine of Object.values(template.findResources('AWS::StepFunctions::StateMachine'))) {
      expect(machine.Properties.Tags).toEqual(expect.arrayContaining([{ Key: 'team', Value: 'data' }]));
    }
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'Prod-orders',
      Tags: Match.arrayWith([{ Key: WORKFLOW_TAG, Value: 'orders' }]),
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([Match.stringLikeRegexp('/reports-')])]) }),
      Tags: Match.arrayWith([{ Key: WORKFLOW_TAG, Value: 'reports' }]),
    });
    template.hasResourceProperties('AWS::DynamoDB::Table', { Tags: [{ Key: 'team', Value: 'data' }] });
  });

  it('uses a table, a bus and a key made elsewhere, and creates none of them', () => {
    const app = new App({ context: NO_BUNDLING });
    const shared = new Stack(app, 'Shared');
    const key = new kms.Key(shared, 'Key');
    const table = new dynamodb.Table(shared, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING } });
    const bus = new events.EventBus(shared, 'Bus');
    const own = new StepflowStack(app, 'Own', { plans, encryptionKey: key, table, eventBus: bus });
    const ownTemplate = Template.fromStack(own);
    ownTemplate.resourceCountIs('AWS::KMS::Key', 0);
    ownTemplate.resourceCountIs('AWS::DynamoDB::Table', 0);
    ownTemplate.resourceCountIs('AWS::Events::EventBus', 0);
    ownTemplate.allResourcesProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::ImportValue': Match.stringLikeRegexp('^Shared:.*Key') } });
    const api = ownTemplate.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('REST API') } });
    const env = Object.values(api)[0].Properties.Environment.Variables;
    expect(env.STEPFLOW_TABLE).toEqual({ 'Fn::ImportValue': expect.stringMatching(/^Shared:.*Table/) });
  });
});
