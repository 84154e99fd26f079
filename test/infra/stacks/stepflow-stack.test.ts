import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowPlan } from '../../../core/compiler/plan.ts';
import { loadProject } from '../../../project/load-project.ts';
import { addNagChecks } from '../../../infra/stacks/nag.ts';
import { StepflowStack } from '../../../infra/stacks/stepflow-stack.ts';
import type { ServiceOrchestration } from '../../../infra/constructs/service-orchestration.ts';
import { FETCH_HANDLER, NO_BUNDLING, STORE_HANDLER, taskFunction, workflowPlan } from '../constructs/fixtures/plans.ts';

const definitions = resolve(import.meta.dirname, '../../../definitions');

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

describe('StepflowStack', () => {
  let plans: readonly WorkflowPlan[];
  let app: App;
  let stack: StepflowStack;
  let template: Template;

  beforeAll(() => {
    // GIVEN every example definition of the project, compiled
    const project = loadProject(definitions);
    expect(project.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    plans = project.plans;
    app = new App({ context: NO_BUNDLING });
    addNagChecks(app);
    stack = new StepflowStack(app, 'Stepflow', { plans });
    template = Template.fromStack(stack);
  });

  const statements = (): Statement[] =>
    Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement);

  it('deploys one state machine per workflow and one Lambda per distinct task handler', () => {
    template.resourceCountIs('AWS::StepFunctions::StateMachine', plans.length);
    const handlers = new Set(plans.flatMap((p) => p.functions.map((f) => f.id)));
    const probe = (stack.node.tryFindChild('Orchestration') as ServiceOrchestration | undefined)?.probe;
    // API, recorder, dispatcher, service invoker, health probe, a worker per pool
    const own = 3 + (stack.serviceInvoker ? 1 : 0) + (probe ? 1 : 0) + Object.keys(stack.pools).length;
    template.resourceCountIs('AWS::Lambda::Function', handlers.size + own);
  });

  it('creates the service invoker only because a workflow has service tasks', () => {
    const usesServices = plans.some((p) => Object.values(p.taskStates).some((s) => s.kind === 'service'));
    expect(stack.serviceInvoker !== undefined).toBe(usesServices);
    const noServices = new StepflowStack(new App({ context: NO_BUNDLING }), 'NoServices', {
      plans: [workflowPlan('plain', [taskFunction('fetch', FETCH_HANDLER)])],
    });
    expect(noServices.serviceInvoker).toBeUndefined();
  });

  it('shares one Lambda between workflows using the same handler', () => {
    const shared = new StepflowStack(new App({ context: NO_BUNDLING }), 'Shared', {
      plans: [
        workflowPlan('one', [taskFunction('fetch', FETCH_HANDLER), taskFunction('store', STORE_HANDLER)]),
        workflowPlan('two', [taskFunction('fetch', FETCH_HANDLER)]),
      ],
    });
    const functions = Template.fromStack(shared).findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('task handler') } });
    expect(Object.keys(functions)).toHaveLength(2);
  });

  it('runs every Lambda on nodejs24.x, arm64, with X-Ray tracing', () => {
    template.allResourcesProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
    });
  });

  it('logs every state machine at level ALL with tracing', () => {
    template.allResourcesProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
      TracingConfiguration: { Enabled: true },
    });
  });

  it('encrypts every log group with the stack key and keeps logs for a month', () => {
    template.allResourcesProperties('AWS::Logs::LogGroup', {
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LogsKey'), 'Arn'] },
      RetentionInDays: 30,
    });
  });

  it('grants no IAM action with a wildcard', () => {
    const actions = statements().flatMap((s) => [s.Action].flat());
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
  });

  it('uses Resource "*" only for actions that have no resource-level permissions (X-Ray, log delivery)', () => {
    const allowed = /^(xray:(PutTraceSegments|PutTelemetryRecords|GetSamplingRules|GetSamplingTargets)|logs:(CreateLogDelivery|GetLogDelivery|UpdateLogDelivery|DeleteLogDelivery|ListLogDeliveries|PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups))$/;
    const starActions = statements()
      .filter((s) => [s.Resource].flat().includes('*'))
      .flatMap((s) => [s.Action].flat());
    expect(starActions.length).toBeGreaterThan(0);
    expect(starActions.filter((a) => !allowed.test(a))).toEqual([]);
  });

  it('deploys the triggers of the example definitions', () => {
    // nightly-backup: a UTC cron → rule → the state machine's live alias; a Europe/Paris cron with a flag → Scheduler → dispatcher
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 0 * * ? *)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^WorkflowDailyBackupAlias') }, Input: '{"scope":"full"}' })],
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(15 * * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TriggersDispatcher'), 'Arn'] } }),
    });
    // order-pipeline: an event pattern on the project bus, the execution input at $.detail
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: Match.stringLikeRegexp('^TriggersBus') },
      EventPattern: { 'source': ['shop.orders'], 'detail-type': ['OrderPlaced'], 'detail': { amount: [{ numeric: ['>', 0] }] } },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^WorkflowOrderPipelineAlias') }, InputPath: '$.detail' })],
    });
  });

  it('without run-time triggers, deploys the dispatcher only for a condition and serves no trigger endpoints', () => {
    const plain = workflowPlan('plain', [taskFunction('fetch', FETCH_HANDLER)]);
    const without = new StepflowStack(new App({ context: NO_BUNDLING }), 'NoRuntime', { plans: [plain], runtimeTriggers: false });
    expect(without.triggerHub.dispatcher).toBeUndefined();
    const paths = Object.values(Template.fromStack(without).findResources('AWS::ApiGateway::Resource')).map((r) => r.Properties.PathPart);
    expect(paths).not.toContain('schedules');
    // The example definitions include a flag condition (nightly-backup): the dispatcher stays.
    const examples = new StepflowStack(new App({ context: NO_BUNDLING }), 'Examples', { plans, runtimeTriggers: false });
    expect(examples.triggerHub.dispatcher).toBeDefined();
  });

  it('keeps the workflow registry out of every environment: a few small values each', () => {
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) {
      const variables = fn.Properties.Environment?.Variables ?? {};
      expect(variables.STEPFLOW_WORKFLOWS).toBeUndefined();
      // Unresolved references count as their CloudFormation JSON, far more than the values they become.
      expect(JSON.stringify(variables).length).toBeLessThan(2048);
    }
  });

  it('lets the API pass the Scheduler role to Scheduler only', () => {
    const passRole = statements().filter((s) => [s.Action].flat().includes('iam:PassRole'));
    expect(passRole).toEqual([
      {
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^TriggersSchedulerRole/), 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      },
    ]);
  });

  it('passes the AwsSolutions and Serverless packs with every finding acknowledged', () => {
    for (const pack of [new AwsSolutionsChecks(app), new ServerlessChecks(app)]) {
      const report = pack.validateScope(app);
      expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    }
    // The same packs run as validation plugins when the app synthesizes: zero errors and warnings.
    const assembly = app.synth();
    const messages = assembly.stacks.flatMap((s) => s.messages).filter((m) => m.level !== 'info');
    expect(messages.map((m) => `${m.level} ${m.id}: ${String(m.entry.data)}`)).toEqual([]);
  });

  it('fails the synth on an action granted on Resource "*" other than those AWS allows only on "*"', () => {
    // GIVEN a stack that passes, with s3:GetObject on "*" planted in a role whose X-Ray "*" is acknowledged
    const strict = new App({ context: NO_BUNDLING });
    addNagChecks(strict);
    const planted = new StepflowStack(strict, 'Planted', { plans: [workflowPlan('one', [taskFunction('fetch', FETCH_HANDLER)])] });
    planted.api.function.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
    expect(() => strict.synth()).toThrow(/stepflow-wildcard-resource/);
  });

  it('fails the synth on a finding nobody acknowledged', () => {
    const strict = new App({ context: NO_BUNDLING });
    addNagChecks(strict);
    const extra = new Stack(strict, 'Extra');
    new sqs.Queue(extra, 'Unencrypted', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    expect(() => strict.synth()).toThrow(/AwsSolutions-SQS/);
  });
});

describe('StepflowStack bundling', () => {
  it('bundles each handler once into a minified ESM module with a source map', () => {
    // GIVEN two workflows sharing the fetch handler, synthesized WITH bundling (the only test that bundles)
    const app = new App();
    const stack = new StepflowStack(app, 'Bundled', {
      plans: [
        workflowPlan('one', [taskFunction('fetch', FETCH_HANDLER), taskFunction('store', STORE_HANDLER)]),
        workflowPlan('two', [taskFunction('fetch', FETCH_HANDLER)]),
      ],
    });
    const assembly = app.synth();
    const dir = assembly.getStackByName(stack.stackName).assembly.directory;
    const bundles = readdirSync(dir).filter((d) => d.startsWith('asset.') && existsSync(join(dir, d, 'index.mjs')));
    // fetch, store, API, recorder, dispatcher: one bundle each
    expect(bundles).toHaveLength(5);
    // The API, the recorder and the dispatcher carry the registry in their code (esbuild define).
    const withRegistry = bundles.filter((b) => readFileSync(join(dir, b, 'index.mjs'), 'utf8').includes('stateMachineName:"Bundled-one"'));
    expect(withRegistry).toHaveLength(3);
    for (const bundle of bundles) expect(readFileSync(join(dir, bundle, 'index.mjs'), 'utf8')).not.toContain('__STEPFLOW_REGISTRY__');
    for (const bundle of bundles) {
      const code = readFileSync(join(dir, bundle, 'index.mjs'), 'utf8');
      expect(code.startsWith("import { createRequire as __stepflowCreateRequire } from 'node:module';")).toBe(true);
      expect(code).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
      expect(existsSync(join(dir, bundle, 'index.mjs.map'))).toBe(true);
    }
    Template.fromStack(stack).allResourcesProperties('AWS::Lambda::Function', { Handler: Match.stringLikeRegexp('^index\\.') });
  }, 180_000);
});
