import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../../core/compiler/compile.ts';
import { loadConfig } from '../../../functions/shared/config.ts';
import { addNagChecks } from '../../../infra/stacks/nag.ts';
import { StepflowStack } from '../../../infra/stacks/stepflow-stack.ts';
import { loadDefinition } from '../../../project/definition-files.ts';
import { NO_BUNDLING } from './fixtures/plans.ts';

const FILE = fileURLToPath(new URL('../../local/fixtures/pool-definitions/pooled.yaml', import.meta.url));

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

/** A CloudFormation value as deployed: pseudo parameters and Refs replaced by stand-ins (a mapping's Ref is its UUID). */
function evaluate(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, any>;
  if (v['Fn::Join']) return (v['Fn::Join'][1] as unknown[]).map(evaluate).join(v['Fn::Join'][0]);
  if (v.Ref) {
    const pseudo: Record<string, string> = { 'AWS::Region': 'eu-west-1', 'AWS::AccountId': '123456789012', 'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com' };
    return pseudo[v.Ref] ?? `uuid-of-${v.Ref}`;
  }
  if (v['Fn::GetAtt']) return `${v['Fn::GetAtt'][0]}.${v['Fn::GetAtt'][1]}`;
  throw new Error(`cannot evaluate ${JSON.stringify(value)}`);
}

function stackFor(id: string, minSize?: number, runtimeTriggers = true) {
  const { definition, diagnostics } = loadDefinition(FILE);
  if (!definition) throw new Error(JSON.stringify(diagnostics));
  const plan = compileWorkflow(minSize === undefined ? definition : { ...definition, pools: definition.pools!.map((p) => ({ ...p, minSize })) });
  const app = new App({ context: NO_BUNDLING });
  addNagChecks(app);
  const stack = new StepflowStack(app, id, { plans: [plan], runtimeTriggers });
  return { app, stack, template: Template.fromStack(stack) };
}

function apiStatements(template: Template, stack: StepflowStack): Statement[] {
  const roleId = stack.resolve((stack.api.function.role!.node.defaultChild as any).logicalId);
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

function apiEnvironment(template: Template, stack: StepflowStack): Record<string, string> {
  const fnId = stack.resolve((stack.api.function.node.defaultChild as any).logicalId);
  const variables = template.toJSON().Resources[fnId].Properties.Environment.Variables as Record<string, unknown>;
  return Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, evaluate(v)]));
}

const mappingIds = (template: Template) => Object.keys(template.findResources('AWS::Lambda::EventSourceMapping')).sort();

describe('the deployed API serves the pools', () => {
  let app: App;
  let stack: StepflowStack;
  let template: Template;

  beforeAll(() => {
    ({ app, stack, template } = stackFor('PoolApi'));
  });

  it('gives the API each lane (queue, dead-letter queue, event source mapping) in STEPFLOW_POOLS, which loadConfig reads back', () => {
    const env = apiEnvironment(template, stack);
    expect(env.STEPFLOW_POOLS.length).toBeLessThan(1500);
    const config = loadConfig({ ...env, AWS_REGION: 'eu-west-1' });
    const shrink = config.pools!.pools.shrink;
    expect(shrink.definition).toMatchObject({ name: 'shrink', minSize: 0, maxSize: 4, timeoutSeconds: 5, recovery: { maxRestarts: 1, restartDelaySeconds: 0 } });
    expect(shrink.definition.lanes).toEqual([{ name: 'high', share: 50, concurrency: 2 }, { name: 'normal', share: 50, concurrency: 2 }]);
    expect(shrink.alias).toBeUndefined();
    expect(shrink.lanes.map((l) => l.url)).toEqual([
      'https://sqs.eu-west-1.amazonaws.com/123456789012/PoolApi-shrink-high',
      'https://sqs.eu-west-1.amazonaws.com/123456789012/PoolApi-shrink-normal',
    ]);
    expect(shrink.lanes.map((l) => l.dlqUrl)).toEqual([
      'https://sqs.eu-west-1.amazonaws.com/123456789012/PoolApi-shrink-high-dlq',
      'https://sqs.eu-west-1.amazonaws.com/123456789012/PoolApi-shrink-normal-dlq',
    ]);
    expect(shrink.lanes[0].arn).toBe('arn:aws:sqs:eu-west-1:123456789012:PoolApi-shrink-high');
    // Each lane names its own mapping (the Ref of an AWS::Lambda::EventSourceMapping is its UUID).
    expect(shrink.lanes.map((l) => l.mappingUuid.replace('uuid-of-', '')).sort()).toEqual(mappingIds(template));
    // The names the API builds are the queues' names.
    const names = Object.values(template.findResources('AWS::SQS::Queue')).map((q) => q.Properties.QueueName);
    for (const lane of shrink.lanes) expect(names).toContain(lane.url.split('/').at(-1));
    expect(config.pools!.scheduleGroup).toBeDefined();
    expect(config.pools!.schedulerRoleArn).toMatch(/SchedulerRole/);
  });

  it('grants the API only what the pool routes call, on the pools\' own queues and mappings', () => {
    const statements = apiStatements(template, stack);
    const onActions = (...actions: string[]) => statements.filter((s) => actions.every((a) => [s.Action].flat().includes(a)));
    const lanes = onActions('sqs:SendMessage', 'sqs:GetQueueAttributes');
    expect(lanes).toHaveLength(1);
    expect(JSON.stringify(lanes[0].Resource)).toMatch(/PoolshrinkhighQueue.*PoolshrinknormalQueue/);
    expect(JSON.stringify(lanes[0].Resource)).not.toMatch(/Dlq/);
    const dlqs = onActions('sqs:ReceiveMessage', 'sqs:DeleteMessage');
    expect(dlqs).toHaveLength(1);
    expect(JSON.stringify(dlqs[0].Resource)).toMatch(/PoolshrinkhighDlq.*PoolshrinknormalDlq/);
    // Event source mappings by ARN only: arn:<partition>:lambda:<region>:<account>:event-source-mapping:<UUID>.
    const mappings = onActions('lambda:GetEventSourceMapping', 'lambda:UpdateEventSourceMapping');
    expect(mappings).toHaveLength(1);
    const arns = ([mappings[0].Resource].flat() as unknown[]).map(evaluate).sort();
    expect(arns).toEqual(mappingIds(template).map((id) => `arn:aws:lambda:eu-west-1:123456789012:event-source-mapping:uuid-of-${id}`));
    expect(statements.flatMap((s) => [s.Action].flat()).filter((a) => a.includes('ProvisionedConcurrency'))).toEqual([]);
  });

  it('lets Scheduler send delayed jobs to the lanes with the schedule group\'s role', () => {
    const roleId = stack.resolve((stack.triggerHub.schedulerRole.node.defaultChild as any).logicalId);
    const statements: Statement[] = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    const sends = statements.filter((s) => JSON.stringify(s.Resource).includes('PoolshrinkhighQueue'));
    expect(sends).toHaveLength(1);
    expect(sends[0].Action).toBe('sqs:SendMessage');
  });

  it('routes every pool endpoint to the API, the bodies checked against models', () => {
    const methods = template.findResources('AWS::ApiGateway::Method');
    const resources = template.findResources('AWS::ApiGateway::Resource');
    const pathOf = (id: string): string => {
      const r = resources[id];
      if (!r) return '';
      const parent = r.Properties.ParentId;
      return `${parent.Ref ? pathOf(parent.Ref) : ''}/${r.Properties.PathPart}`;
    };
    const routes = Object.values(methods)
      .filter((m) => m.Properties.ResourceId.Ref && pathOf(m.Properties.ResourceId.Ref).startsWith('/pools'))
      .map((m) => `${m.Properties.HttpMethod} ${pathOf(m.Properties.ResourceId.Ref)}`)
      .sort();
    expect(routes).toEqual([
      'GET /pools',
      'GET /pools/{name}',
      'GET /pools/{name}/jobs/{jobId}',
      'POST /pools/{name}/dlq/redrive',
      'POST /pools/{name}/jobs',
      'POST /pools/{name}/pause',
      'POST /pools/{name}/resume',
      'PUT /pools/{name}/scale',
    ]);
    template.hasResourceProperties('AWS::ApiGateway::Model', { Name: 'SubmitJobBody' });
    template.hasResourceProperties('AWS::ApiGateway::Model', { Name: 'ScalePoolBody', Schema: { additionalProperties: false } });
  });

  it('grants provisioned concurrency on the live alias of a warm pool, and names the alias in the configuration', () => {
    const warm = stackFor('Warm', 2);
    const statements = apiStatements(warm.template, warm.stack);
    const provisioned = statements.filter((s) => [s.Action].flat().includes('lambda:PutProvisionedConcurrencyConfig'));
    expect(provisioned).toHaveLength(1);
    expect(provisioned[0].Action).toEqual(['lambda:GetProvisionedConcurrencyConfig', 'lambda:PutProvisionedConcurrencyConfig', 'lambda:DeleteProvisionedConcurrencyConfig']);
    expect(JSON.stringify(provisioned[0].Resource)).toMatch(/PoolshrinkLive/);
    const config = loadConfig(apiEnvironment(warm.template, warm.stack));
    expect(config.pools!.pools.shrink.alias).toMatch(/PoolshrinkWorkerFunction\w*:live$/);
  });

  it('without run-time triggers serves the pools but schedules nothing (no Scheduler role in the configuration)', () => {
    const plain = stackFor('Plain', undefined, false);
    const config = loadConfig(apiEnvironment(plain.template, plain.stack));
    expect(Object.keys(config.pools!.pools)).toEqual(['shrink']);
    expect(config.pools!.schedulerRoleArn).toBeUndefined();
    expect(apiStatements(plain.template, plain.stack).flatMap((s) => [s.Action].flat()).filter((a) => /^(scheduler|iam):/.test(a))).toEqual([]);
  });

  it('passes cdk-nag with no unacknowledged finding', () => {
    for (const pack of [new AwsSolutionsChecks(app), new ServerlessChecks(app)]) {
      const report = pack.validateScope(app);
      expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    }
  });
});
