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

const FILE = resolve('test/local/fixtures/definitions/travel.yaml');

function plan() {
  const { definition, diagnostics } = loadDefinitionText(`workflow:
  name: travel
  services:
    partner: { url: "https://partner.example.com/confirm" }
  tasks:
    - { name: book, handler: ../handlers/saga.ts#step, compensate: ../handlers/saga.ts#undo }
    - { name: confirm, type: callback, service: partner, depends_on: [book], timeout: 2h, heartbeat: 5m }
`, FILE);
  if (!definition) throw new Error(JSON.stringify(diagnostics));
  return compileWorkflow(definition, { projectRoot: resolve('.') });
}

describe('a saga with a callback task, deployed', () => {
  const app = new App({ context: NO_BUNDLING });
  addNagChecks(app);
  const stack = new StepflowStack(app, 'Travel', { plans: [plan()] });
  const template = Template.fromStack(stack);

  it('deploys the saga function, the compensation handler and the service invoker the callback runs through', () => {
    template.hasResourceProperties('AWS::Lambda::Function', { Description: Match.stringLikeRegexp('stepflow_saga') });
    template.hasResourceProperties('AWS::Lambda::Function', { Description: Match.stringLikeRegexp('book_compensate') });
    expect(stack.serviceInvoker).toBeDefined();
    const definition = JSON.stringify(template.findResources('AWS::StepFunctions::StateMachine'));
    expect(definition).toContain('lambda:invoke.waitForTaskToken');
    expect(definition).toContain('HeartbeatSeconds');
  });

  it('lets the API answer the task tokens of that state machine only', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    const answers = statements.filter((s: { Action: string | string[] }) => [s.Action].flat().includes('states:SendTaskSuccess'));
    expect(answers).toHaveLength(1);
    expect([answers[0].Action].flat().sort()).toEqual(['states:SendTaskFailure', 'states:SendTaskHeartbeat', 'states:SendTaskSuccess']);
    expect(answers[0].Resource).toEqual({ Ref: expect.stringMatching(/StateMachine/) });
  });

  it('routes POST /callbacks/{token} and its heartbeat to the API, the answer checked against a model', () => {
    const resources = template.findResources('AWS::ApiGateway::Resource');
    const byPath = (part: string) => Object.entries(resources).find(([, r]) => r.Properties.PathPart === part)?.[0];
    expect(byPath('callbacks')).toBeDefined();
    const token = byPath('{token}')!;
    template.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'POST', ResourceId: { Ref: token }, RequestModels: { 'application/json': { Ref: Match.stringLikeRegexp('CallbackAnswerBody') } } });
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'heartbeat', ParentId: { Ref: token } });
  });

  it('is cdk-nag clean', () => {
    for (const pack of [new AwsSolutionsChecks(app), new ServerlessChecks(app)]) {
      const report = pack.validateScope(app);
      expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    }
  });
});
