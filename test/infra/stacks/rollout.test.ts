import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { workflowRegistry } from '../../../infra/constructs/private/registry.ts';
import { StepflowStack } from '../../../infra/stacks/stepflow-stack.ts';
import { FETCH_HANDLER, NO_BUNDLING, taskFunction, workflowPlan } from '../constructs/fixtures/plans.ts';

const standard = workflowPlan('orders', [taskFunction('fetch', FETCH_HANDLER)]);
const express = workflowPlan('pings', [taskFunction('ping', FETCH_HANDLER, { id: 'ping', placeholder: 'TaskFunction_ping' })], { mode: 'EXPRESS' });

describe('rollout through aliases', () => {
  let stack: StepflowStack;
  let template: Template;

  beforeAll(() => {
    stack = new StepflowStack(new App({ context: NO_BUNDLING }), 'Rolling', { plans: [standard, express], rollout: { type: 'LINEAR', percentage: 20, intervalMinutes: 3 } });
    template = Template.fromStack(stack);
  });

  it('invokes each task function through its live alias, on a published version', () => {
    template.resourceCountIs('AWS::Lambda::Alias', 2);
    template.hasResourceProperties('AWS::Lambda::Alias', { Name: 'live', FunctionVersion: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TasksFetch.*CurrentVersion'), 'Version'] } });
    const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine', { Properties: { StateMachineName: 'Rolling-orders' } }))[0];
    expect(machine.Properties.DefinitionSubstitutions.TaskFunction_fetch).toEqual({ Ref: expect.stringMatching(/^TasksFetchLive/) });
  });

  it('publishes a version per definition revision behind a live alias shifted as configured, rolled back by the workflow alarms', () => {
    template.resourceCountIs('AWS::StepFunctions::StateMachineVersion', 1); // Standard only
    template.hasResource('AWS::StepFunctions::StateMachineVersion', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: { StateMachineArn: { Ref: Match.stringLikeRegexp('^WorkflowOrdersStateMachine') }, StateMachineRevisionId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WorkflowOrdersStateMachine'), 'StateMachineRevisionId'] } },
    });
    const alias = Object.values(template.findResources('AWS::StepFunctions::StateMachineAlias'))[0].Properties;
    expect(alias.Name).toBe('live');
    expect(alias.DeploymentPreference).toMatchObject({ Type: 'LINEAR', Percentage: 20, Interval: 3, StateMachineVersionArn: { Ref: expect.stringMatching(/^WorkflowOrdersVersion/) } });
    const rollback = alias.DeploymentPreference.Alarms.map((a: { Ref: string }) => a.Ref);
    expect(rollback.length).toBe(3); // failed, timed out, task errors (one expression for the function)
    for (const id of rollback) expect(id).toMatch(/^WorkflowOrdersAlarms(ExecutionsFailed|ExecutionsTimedOut|TaskErrors)/);
  });

  it('starts executions through the alias: the registry carries the qualifier, roles may start the alias', () => {
    expect(workflowRegistry(stack.workflows).workflows.orders.startQualifier).toBe('live');
    expect(workflowRegistry(stack.workflows).workflows.pings.startQualifier).toBeUndefined();
    const apiRole = (stack.api.function.role!.node.defaultChild as unknown as { logicalId: string }).logicalId;
    const apiStatements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(stack.resolve(apiRole)))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(apiStatements).toContainEqual({ Effect: 'Allow', Action: 'states:StartExecution', Resource: { Ref: expect.stringMatching(/^WorkflowOrdersAlias/) } });
  });

  it('deploys in place when rollout is off', () => {
    const inPlace = Template.fromStack(new StepflowStack(new App({ context: NO_BUNDLING }), 'InPlace', { plans: [standard], rollout: false }));
    inPlace.resourceCountIs('AWS::StepFunctions::StateMachineAlias', 0);
    inPlace.resourceCountIs('AWS::Lambda::Alias', 0);
  });
});
