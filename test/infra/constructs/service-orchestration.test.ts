import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../../core/compiler/compile.ts';
import type { WorkflowPlan } from '../../../core/compiler/plan.ts';
import { addNagChecks } from '../../../infra/stacks/nag.ts';
import { StepflowStack } from '../../../infra/stacks/stepflow-stack.ts';
import { loadDefinitionText } from '../../../project/definition-files.ts';
import { NO_BUNDLING } from './fixtures/plans.ts';

const FILE = fileURLToPath(new URL('./fixtures/services.yaml', import.meta.url));

function plan(services: string): WorkflowPlan {
  const { definition, diagnostics } = loadDefinitionText(`workflow:
  name: orchestrated
  services:
${services}
  tasks:
    - { name: call, type: service, service: pricing }
`, FILE);
  if (!definition) throw new Error(JSON.stringify(diagnostics));
  return compileWorkflow(definition);
}

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
const statementsOf = (template: Template, prefix: RegExp): Statement[] =>
  Object.entries(template.findResources('AWS::IAM::Policy'))
    .filter(([id]) => prefix.test(id))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);

describe('ServiceOrchestration', () => {
  let app: App;
  let template: Template;

  beforeAll(() => {
    app = new App({ context: NO_BUNDLING });
    addNagChecks(app);
    const stack = new StepflowStack(app, 'Orchestrated', {
      plans: [plan(`    pricing:
      discovery: cloudmap
      cloudmap: { namespace: shop.local }
      health_check: { interval: 30s }
      circuit_breaker: { minimum_calls: 5 }`)],
    });
    template = Template.fromStack(stack);
  });

  it('gives the invoker the table and access to the service items only', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'stepflow: invokes services for service tasks',
      Environment: { Variables: Match.objectLike({ STEPFLOW_TABLE: { Ref: Match.stringLikeRegexp('^StateTable') } }) },
    });
    const dynamo = statementsOf(template, /^ServicesInvokerRole/).filter((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:')));
    expect(dynamo).toEqual([{
      Effect: 'Allow',
      Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^StateTable/), 'Arn'] },
      Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SERVICE#*', 'SERVICES'] } },
    }]);
  });

  it('allows Cloud Map discovery in the definition\'s namespace because a service uses it', () => {
    const discovery = statementsOf(template, /^ServicesInvokerRole/).filter((s) => [s.Action].flat().includes('servicediscovery:DiscoverInstances'));
    expect(discovery).toEqual([{ Effect: 'Allow', Action: 'servicediscovery:DiscoverInstances', Resource: '*', Condition: { StringEquals: { 'servicediscovery:NamespaceName': ['shop.local'] } } }]);
    const without = Template.fromStack(new StepflowStack(new App({ context: NO_BUNDLING }), 'Static', {
      plans: [plan(`    pricing: { discovery: static, instances: ["https://pricing.example.com/quote"] }`)],
    }));
    expect(JSON.stringify(without.toJSON())).not.toContain('servicediscovery:');
    // Still orchestrated: the invoker gets the table.
    expect(statementsOf(without, /^ServicesInvokerRole/).some((s) => [s.Action].flat().includes('dynamodb:Query'))).toBe(true);
  });

  it('probes instances from a scheduled Lambda carrying the services to probe', () => {
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)', State: 'ENABLED' });
    const probe = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Description: 'stepflow: probes the health of service instances' } }));
    expect(probe).toHaveLength(1);
    const probed = JSON.parse(probe[0].Properties.Environment.Variables.STEPFLOW_PROBED_SERVICES as string);
    expect(Object.keys(probed)).toEqual(['pricing']);
    expect(probed.pricing.orchestration.healthCheck).toMatchObject({ path: '/health', intervalSeconds: 30 });
  });

  it('adds nothing for a workflow whose services have only a url', () => {
    const plain = Template.fromStack(new StepflowStack(new App({ context: NO_BUNDLING }), 'Plain', {
      plans: [plan(`    pricing: { url: "https://pricing.example.com/quote" }`)],
    }));
    expect(Object.keys(plain.findResources('AWS::Events::Rule', { Properties: { Description: 'stepflow: health probes of service instances' } }))).toEqual([]);
    expect(JSON.stringify(plain.toJSON())).not.toContain('SERVICE#*');
  });

  it('passes cdk-nag with no unacknowledged finding', () => {
    for (const pack of [new AwsSolutionsChecks(app), new ServerlessChecks(app)]) {
      const report = pack.validateScope(app);
      expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    }
  });
});
