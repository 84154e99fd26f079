import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../../core/compiler/compile.ts';
import { loadDefinitionText } from '../../../project/definition-files.ts';
import { addNagChecks } from '../../../infra/stacks/nag.ts';
import { StepflowStack } from '../../../infra/stacks/stepflow-stack.ts';
import { NO_BUNDLING } from '../constructs/fixtures/plans.ts';

const FILE = resolve('test/local/fixtures/definitions/approvals.yaml');

function plan(yaml: string) {
  const { definition, diagnostics } = loadDefinitionText(yaml, FILE);
  if (!definition) throw new Error(JSON.stringify(diagnostics));
  return compileWorkflow(definition, { projectRoot: resolve('.') });
}

describe('approval tasks, deployed', () => {
  const app = new App({ context: NO_BUNDLING });
  addNagChecks(app);
  const stack = new StepflowStack(app, 'Approvals', {
    plans: [
      plan(`workflow:
  name: release
  tasks:
    - { name: build, handler: ../handlers/pipeline.ts#list }
    - { name: sign_off, type: approval, approvers: leads, expires: 2h, depends_on: [build] }
`),
      plan(`workflow:
  name: plain
  tasks:
    - { name: build, handler: ../handlers/pipeline.ts#list }
`),
    ],
  });
  const template = Template.fromStack(stack);
  const statements = () => Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);

  it('deploys the approvals function with the table name, allowed to put and update items only', () => {
    const functions = template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('stepflow_approvals') } });
    const fn = Object.values(functions)[0];
    expect(fn.Properties.Environment.Variables.STEPFLOW_TABLE).toEqual({ Ref: expect.stringMatching(/^State/) });
    const role = fn.Properties.Role['Fn::GetAtt'][0] as string;
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${role}"`));
    expect(policies.length).toBeGreaterThan(0);
    const dynamo = policies.flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).filter((s) => JSON.stringify(s.Action).includes('dynamodb:'));
    expect(dynamo.flatMap((s) => [s.Action].flat()).sort()).toEqual(['dynamodb:PutItem', 'dynamodb:UpdateItem']);
  });

  it('lets the API answer the tokens of the state machine with approvals only, and routes /approvals', () => {
    const answers = statements().filter((s) => [s.Action].flat().includes('states:SendTaskSuccess'));
    expect(answers).toHaveLength(1);
    expect([answers[0].Action].flat().sort()).toEqual(['states:SendTaskFailure', 'states:SendTaskHeartbeat', 'states:SendTaskSuccess']);
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'approvals' });
    template.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'POST', RequestParameters: { 'method.request.path.id': true } });
    const machine = JSON.stringify(template.findResources('AWS::StepFunctions::StateMachine'));
    expect(machine).toContain('lambda:invoke.waitForTaskToken');
    expect(machine).toContain('stepflow.ApprovalRejected');
  });

  it('is cdk-nag clean', () => {
    for (const pack of [new AwsSolutionsChecks(app), new ServerlessChecks(app)]) {
      const report = pack.validateScope(app);
      expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    }
  });
});
