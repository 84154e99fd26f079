import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../../core/compiler/compile.ts';
import type { WorkflowPlan } from '../../../core/compiler/plan.ts';
import { Coordinator } from '../../../infra/constructs/coordinator.ts';
import { Workflow } from '../../../infra/constructs/workflow.ts';
import { addNagChecks } from '../../../infra/stacks/nag.ts';
import { StepflowStack } from '../../../infra/stacks/stepflow-stack.ts';
import { loadDefinitionText } from '../../../project/definition-files.ts';
import { FETCH_HANDLER, NO_BUNDLING, taskFunction, workflowPlan } from './fixtures/plans.ts';

const FILE = fileURLToPath(new URL('./fixtures/gated.yaml', import.meta.url));

/** The N shape, gated: c needs a and b, d needs b. */
function gatedPlan(): WorkflowPlan {
  const { definition, diagnostics } = loadDefinitionText(`workflow:
  name: gated
  engine: { type: parallel, dag: gated }
  tasks:
    - { name: a, handler: ./tasks/fetch.ts }
    - { name: b, handler: ./tasks/fetch.ts }
    - { name: c, handler: ./tasks/fetch.ts, depends_on: [a, b] }
    - { name: d, handler: ./tasks/fetch.ts, depends_on: [b] }
`, FILE);
  if (!definition) throw new Error(JSON.stringify(diagnostics));
  return compileWorkflow(definition);
}

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

describe('Coordinator', () => {
  let app: App;
  let stack: StepflowStack;
  let template: Template;

  beforeAll(() => {
    // GIVEN a gated workflow beside a nested one, with the cdk-nag packs
    app = new App({ context: NO_BUNDLING });
    addNagChecks(app);
    stack = new StepflowStack(app, 'Gated', { plans: [gatedPlan(), workflowPlan('plain', [taskFunction('fetch', FETCH_HANDLER)])] });
    template = Template.fromStack(stack);
  });

  const coordinatorStatements = (): Statement[] =>
    Object.entries(template.findResources('AWS::IAM::Policy'))
      .filter(([id]) => id.startsWith('CoordinatorRole'))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);

  it('is deployed because a workflow runs gated, with the table it keeps its gates in', () => {
    expect(stack.coordinator).toBeDefined();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'stepflow: releases the tasks of gated workflows',
      Timeout: 30,
      Environment: { Variables: Match.objectLike({ STEPFLOW_TABLE: { Ref: Match.stringLikeRegexp('^StateTable') } }) },
    });
    expect(new StepflowStack(new App({ context: NO_BUNDLING }), 'Nested', { plans: [workflowPlan('plain', [taskFunction('fetch', FETCH_HANDLER)])] }).coordinator).toBeUndefined();
  });

  it('may read and write table items and send task success to the gated state machine, nothing more', () => {
    const statements = coordinatorStatements().filter((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:') || a.startsWith('states:')));
    expect(statements).toEqual([
      { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:BatchGetItem'], Resource: { 'Fn::GetAtt': [expect.stringMatching(/^StateTable/), 'Arn'] } },
      {
        Effect: 'Allow',
        Action: 'states:SendTaskSuccess',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':states:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':stateMachine:Gated-gated']] },
      },
    ]);
    // Only the gated workflow's state machine, by the name it is deployed under.
    expect(stack.workflows.find((w) => w.plan.name === 'gated')!.stateMachineName).toBe('Gated-gated');
  });

  it('is invoked by the gated state machine only', () => {
    const invokes = (workflow: Workflow) =>
      Object.entries(template.findResources('AWS::IAM::Policy'))
        .filter(([id]) => id.startsWith(workflow.node.id))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[])
        .filter((s) => [s.Action].flat().includes('lambda:InvokeFunction'))
        .flatMap((s) => [s.Resource].flat());
    const coordinatorArn = { 'Fn::GetAtt': [expect.stringMatching(/^CoordinatorFunction/), 'Arn'] };
    const [gated, plain] = ['gated', 'plain'].map((name) => stack.workflows.find((w) => w.plan.name === name)!);
    expect(invokes(gated)).toContainEqual(coordinatorArn);
    expect(invokes(plain)).not.toContainEqual(coordinatorArn);
  });

  it('passes cdk-nag with no unacknowledged finding', () => {
    for (const pack of [new AwsSolutionsChecks(app), new ServerlessChecks(app)]) {
      const report = pack.validateScope(app);
      expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    }
  });

  it('is refused to a workflow that runs gated without one', () => {
    const bare = new StepflowStack(new App({ context: NO_BUNDLING }), 'Bare', { plans: [] });
    expect(() => new Workflow(bare, 'Lonely', { plan: gatedPlan(), functions: { TaskFunction_fetch: bare.table.table as never } })).toThrow(/Coordinator \(coordinator\)/);
    expect(Coordinator.serves(gatedPlan())).toBe(true);
  });
});
