import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../../core/compiler/compile.ts';
import { addNagChecks } from '../../../infra/stacks/nag.ts';
import { StepflowStack } from '../../../infra/stacks/stepflow-stack.ts';
import { loadDefinition } from '../../../project/definition-files.ts';
import { NO_BUNDLING } from './fixtures/plans.ts';

const FILE = fileURLToPath(new URL('../../local/fixtures/pool-definitions/pooled.yaml', import.meta.url));

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

describe('ProcessPool', () => {
  let app: App;
  let stack: StepflowStack;
  let template: Template;

  beforeAll(() => {
    // GIVEN a workflow whose tasks run in a two-lane pool (max_size 4, max_restarts 1, timeout 5s)
    const { definition, diagnostics } = loadDefinition(FILE);
    if (!definition) throw new Error(JSON.stringify(diagnostics));
    app = new App({ context: NO_BUNDLING });
    addNagChecks(app);
    stack = new StepflowStack(app, 'Pools', { plans: [compileWorkflow(definition)] });
    template = Template.fromStack(stack);
  });

  const statementsOf = (prefix: string): Statement[] =>
    Object.entries(template.findResources('AWS::IAM::Policy'))
      .filter(([id]) => id.startsWith(prefix))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);

  it('gives each lane an encrypted, TLS-only queue dead-lettering after max_restarts + 1 receives, visible again after six worker timeouts', () => {
    const queues = template.findResources('AWS::SQS::Queue', { Properties: { RedrivePolicy: Match.anyValue() } });
    expect(Object.keys(queues)).toHaveLength(2);
    for (const queue of Object.values(queues)) {
      expect(queue.Properties).toMatchObject({ SqsManagedSseEnabled: true, RedrivePolicy: { maxReceiveCount: 2 } });
      // The worker's timeout is the job's 5 s plus its margin of 10 s.
      expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * 15);
    }
    // enforceSSL: each of the pool's four queues refuses requests without TLS.
    const tlsOnly = Object.values(template.findResources('AWS::SQS::QueuePolicy'))
      .filter((p) => JSON.stringify(p.Properties.Queues).includes('Poolshrink') && JSON.stringify(p.Properties.PolicyDocument).includes('"aws:SecureTransport":"false"'));
    expect(tlsOnly).toHaveLength(4);
  });

  it('runs one arm64 worker on the newest Node.js runtime, fed by each lane capped at its share with partial batch responses', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'stepflow: worker of pool shrink',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: 15,
      Environment: { Variables: Match.objectLike({ STEPFLOW_POOL: JSON.stringify({ name: 'shrink', timeoutSeconds: 5, maxAttempts: 2, restartDelaySeconds: 0 }) }) },
    });
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'));
    expect(mappings).toHaveLength(2);
    for (const mapping of mappings) {
      expect(mapping.Properties).toMatchObject({ BatchSize: 1, ScalingConfig: { MaximumConcurrency: 2 }, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    }
  });

  it('lets the state machine send to the lanes and the worker answer its task tokens only', () => {
    const workflow = stack.workflows[0];
    const sends = statementsOf(workflow.node.id).filter((s) => [s.Action].flat().some((a) => a.startsWith('sqs:')));
    expect(sends.flatMap((s) => [s.Resource].flat())).toHaveLength(2);
    const answers = statementsOf('PoolshrinkWorkerRole').filter((s) => [s.Action].flat().some((a) => a.startsWith('states:')));
    expect(answers).toEqual([{
      Effect: 'Allow',
      Action: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':states:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':stateMachine:Pools-pooled']] },
    }]);
    // The ASL's lane placeholders become the queues' URLs.
    const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0];
    expect(JSON.stringify(machine.Properties.DefinitionSubstitutions)).toMatch(/PoolQueue_shrink_high/);
  });

  it('alarms on the oldest job\'s age and dead-lettered jobs per lane, and on worker errors', () => {
    // The pool's own alarms: two lanes × (oldest job, dead letters), and worker errors; the workflow and stack have theirs.
    expect(Object.keys(template.findResources('AWS::CloudWatch::Alarm')).filter((id) => id.startsWith('Pool'))).toHaveLength(5);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateAgeOfOldestMessage', Threshold: 30 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Namespace: 'AWS/Lambda' });
  });

  it('keeps min_size workers warm as provisioned concurrency on the alias the event sources invoke', () => {
    const { definition } = loadDefinition(FILE);
    const plan = compileWorkflow({ ...definition!, pools: definition!.pools!.map((p) => ({ ...p, minSize: 2 })) });
    const warm = Template.fromStack(new StepflowStack(new App({ context: NO_BUNDLING }), 'Warm', { plans: [plan] }));
    warm.hasResourceProperties('AWS::Lambda::Alias', { Name: 'live', ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 } });
    for (const mapping of Object.values(warm.findResources('AWS::Lambda::EventSourceMapping'))) {
      expect(JSON.stringify(mapping.Properties.FunctionName)).toMatch(/Live/);
    }
  });

  it('passes cdk-nag with no unacknowledged finding', () => {
    for (const pack of [new AwsSolutionsChecks(app), new ServerlessChecks(app)]) {
      const report = pack.validateScope(app);
      expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    }
  });
});
