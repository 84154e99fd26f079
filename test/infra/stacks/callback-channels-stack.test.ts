import { App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../../core/compiler/compile.ts';
import { loadDefinitionText } from '../../../project/definition-files.ts';
import { addNagChecks } from '../../../infra/stacks/nag.ts';
import { StepflowStack } from '../../../infra/stacks/stepflow-stack.ts';
import { NO_BUNDLING } from '../constructs/fixtures/plans.ts';

const FILE = resolve('test/local/fixtures/definitions/partners.yaml');

function plan() {
  const { definition, diagnostics } = loadDefinitionText(`workflow:
  name: partners
  tasks:
    - { name: ask_bus, type: callback, via: event, timeout: 1h }
    - { name: ask_named, type: callback, via: event, event: { bus: partner-bus, source: shop.orders, detail_type: ChargeRequested }, depends_on: [ask_bus] }
    - { name: ask_queue, type: callback, via: sqs, depends_on: [ask_named] }
    - { name: ask_existing, type: callback, via: sqs, queue: "https://sqs.eu-west-1.amazonaws.com/123456789012/partner-in", depends_on: [ask_queue] }
`, FILE);
  if (!definition) throw new Error(JSON.stringify(diagnostics));
  return compileWorkflow(definition, { projectRoot: resolve('.') });
}

type Statement = { Action: string | string[]; Resource: unknown };

describe('callbacks via event and sqs, deployed', () => {
  const app = new App({ context: NO_BUNDLING });
  addNagChecks(app);
  const stack = new StepflowStack(app, 'Partners', { plans: [plan()] });
  const template = Template.fromStack(stack);
  const workflow = stack.workflows[0];
  const roleStatements = (): Statement[] => {
    const roleId = stack.resolve((workflow.stateMachine.role.node.defaultChild as CfnElement).logicalId);
    return Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
  };
  const withAction = (action: string) => roleStatements().filter((s) => [s.Action].flat().includes(action));

  it('puts the events on the project bus and the named one: events:PutEvents on those two buses only', () => {
    const puts = withAction('events:PutEvents');
    expect(puts).toHaveLength(1);
    const resources = JSON.stringify(puts[0].Resource);
    expect(resources).toContain(stack.resolve((stack.triggerHub.eventBus.node.defaultChild as CfnElement).logicalId));
    expect(resources).toContain(':event-bus/partner-bus');
    expect([puts[0].Resource].flat()).toHaveLength(2);
    const definition = JSON.stringify(template.findResources('AWS::StepFunctions::StateMachine'));
    expect(definition).toContain('events:putEvents.waitForTaskToken');
    expect(definition).toContain('sqs:sendMessage.waitForTaskToken');
  });

  it('creates a queue (with a dead-letter queue) for the callback without one, and may send to it and to the named queue only', () => {
    expect(Object.keys(workflow.callbackChannels.queues)).toEqual(['ask_queue']);
    const callbackQueues = Object.entries(template.findResources('AWS::SQS::Queue')).filter(([id]) => id.includes('Callbacks'));
    expect(callbackQueues).toHaveLength(2);
    const [queueId] = callbackQueues.find(([, q]) => q.Properties.RedrivePolicy)!;
    const sends = withAction('sqs:SendMessage');
    expect(sends).toHaveLength(1);
    const resources = [sends[0].Resource].flat();
    expect(resources).toHaveLength(2);
    expect(JSON.stringify(resources)).toContain('arn:aws:sqs:eu-west-1:123456789012:partner-in');
    expect(JSON.stringify(resources)).toContain(queueId);
  });

  it('serves POST /callbacks/{token} and lets the API answer this state machine\'s tokens', () => {
    const resources = template.findResources('AWS::ApiGateway::Resource');
    expect(Object.values(resources).some((r) => r.Properties.PathPart === 'callbacks')).toBe(true);
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
    expect(statements.some((s) => [s.Action].flat().includes('states:SendTaskSuccess'))).toBe(true);
  });

  it('is cdk-nag clean', () => {
    for (const pack of [new AwsSolutionsChecks(app), new ServerlessChecks(app)]) {
      const report = pack.validateScope(app);
      expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    }
  });
});
