import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { addNagChecks } from '../../../infra/stacks/nag.ts';
import { StepflowStack } from '../../../infra/stacks/stepflow-stack.ts';
import { STAR_ONLY_ACTIONS } from '../../../infra/stacks/wildcard-resource-check.ts';
import { FETCH_HANDLER, NO_BUNDLING, taskFunction, workflowPlan } from '../constructs/fixtures/plans.ts';

const plans = [workflowPlan('one', [taskFunction('fetch', FETCH_HANDLER)])];

function acknowledgements(root: IConstruct): { construct: IConstruct; ids: string[]; reasons: string[] }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .map((entry) => ({
        construct,
        ids: Object.keys(entry.data as object).map((key) => key.replace(/^annotation::/i, '')),
        reasons: Object.values(entry.data as Record<string, string>),
      })),
  );
}

describe('cdk-nag acknowledgements', () => {
  it('are held by single CloudFormation resources, never by a function, a state machine or a construct holding several', () => {
    const stack = new StepflowStack(new App({ context: NO_BUNDLING }), 'Scoped', { plans });
    const found = acknowledgements(stack);
    expect(found.length).toBeGreaterThan(0);
    for (const { construct } of found) expect(CfnResource.isCfnResource(construct), construct.node.path).toBe(true);
  });

  it('acknowledge Resource "*" only on policies whose "*" statements hold X-Ray and log-delivery actions alone', () => {
    const stack = new StepflowStack(new App({ context: NO_BUNDLING }), 'Star', { plans });
    const starAcks = acknowledgements(stack).filter((a) => a.ids.includes('AwsSolutions-IAM5[Resource::*]'));
    expect(starAcks.length).toBeGreaterThan(0);
    for (const { construct } of starAcks) {
      const resource = construct as CfnResource;
      expect(resource.cfnResourceType).toBe('AWS::IAM::Policy');
      const document = Stack.of(resource).resolve((resource as iam.CfnPolicy).policyDocument);
      const onStar = document.Statement.filter((s: { Resource: unknown }) => [s.Resource].flat().includes('*'));
      expect(onStar.length).toBeGreaterThan(0);
      for (const statement of onStar) for (const action of [statement.Action].flat()) expect(STAR_ONLY_ACTIONS).toContain(action);
    }
  });

  it('fail the synth for s3:GetObject on "*" in an acknowledged policy and sqs:SendMessage on "*" in a new one', () => {
    // GIVEN a passing stack with two wildcards planted: one in the API role's default policy (whose X-Ray "*" is
    // acknowledged) and one in a new policy next to the function
    const app = new App({ context: NO_BUNDLING });
    addNagChecks(app);
    const stack = new StepflowStack(app, 'Planted', { plans });
    stack.api.function.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
    const role = stack.api.function.role!;
    new iam.Policy(stack.api.function, 'Extra', { roles: [role], statements: [new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: ['*'] })] });

    // THEN cdk-nag itself reports the new policy (the acknowledgement does not reach it) …
    const report = new AwsSolutionsChecks(app).validateScope(app);
    const star = report.violations.filter((v) => v.ruleName === 'AwsSolutions-IAM5[Resource::*]');
    expect(star.flatMap((v) => v.violatingResources.map((r) => r.constructPath))).toEqual([`${stack.api.function.node.path}/Extra/Resource`]);
    // … and the synth fails, the wildcard check naming both actions
    let message = '';
    try {
      app.synth();
    } catch (error) {
      message = String(error);
    }
    expect(message).toMatch(/AwsSolutions-IAM5\[Resource::\*\]/);
    expect(message).toMatch(/stepflow-wildcard-resource/);
  });

  it('state true reasons for API Gateway: no claim about WAF or the logging policy that does not hold', () => {
    const withRole = new StepflowStack(new App({ context: NO_BUNDLING }), 'Reasons', { plans });
    const reasons = Object.fromEntries(acknowledgements(withRole).flatMap((a) => a.ids.map((id, i) => [id, a.reasons[i]])));
    const iam4 = 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]';
    expect(reasons[iam4]).toMatch(/all log groups of the account/);
    expect(reasons[iam4]).not.toMatch(/only allows/);
    expect(reasons['AwsSolutions-APIG3']).not.toMatch(/SigV4|IAM/);

    // GIVEN the account's logging role is owned elsewhere: nothing to acknowledge
    const withoutRole = new StepflowStack(new App({ context: NO_BUNDLING }), 'NoRole', { plans, apiCloudWatchRole: false });
    expect(acknowledgements(withoutRole).flatMap((a) => a.ids)).not.toContain(iam4);
  });
});
