import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../../core/compiler/compile.ts';
import { addNagChecks } from '../../../infra/stacks/nag.ts';
import { StepflowStack } from '../../../infra/stacks/stepflow-stack.ts';
import type { StepflowShardStack } from '../../../infra/stacks/stepflow-shard-stack.ts';
import { loadDefinition } from '../../../project/definition-files.ts';
import { FETCH_HANDLER, NO_BUNDLING, taskFunction, workflowPlan } from '../constructs/fixtures/plans.ts';

const FILE = fileURLToPath(new URL('../../local/fixtures/pool-definitions/pooled.yaml', import.meta.url));

type Statement = { Action: string | string[]; Resource: unknown };

describe('pooled workflows in shard stacks', () => {
  let base: StepflowStack;
  let shard: StepflowShardStack;
  let baseTemplate: Template;
  let shardTemplate: Template;

  beforeAll(() => {
    // GIVEN a pooled workflow and enough others, under a budget small enough to shard them
    const { definition, diagnostics } = loadDefinition(FILE);
    if (!definition) throw new Error(JSON.stringify(diagnostics));
    const others = Array.from({ length: 6 }, (_, i) => workflowPlan(`flow${i}`, [taskFunction(`step${i}`, FETCH_HANDLER, { handler: { file: FETCH_HANDLER, exportName: `handler${i}` } })]));
    const app = new App({ context: NO_BUNDLING });
    addNagChecks(app);
    base = new StepflowStack(app, 'Sharded', { plans: [compileWorkflow(definition), ...others], maxResourcesPerStack: 120 });
    shard = base.shards.find((s) => s.workflows.some((w) => w.plan.name === 'pooled'))!;
    baseTemplate = Template.fromStack(base); // synthesizes the app: cdk-nag fails it on any finding
    shardTemplate = Template.fromStack(shard);
  });

  it('keeps the pool in the base and its state machine in a shard', () => {
    expect(base.shards.length).toBeGreaterThanOrEqual(1);
    expect(Object.keys(baseTemplate.findResources('AWS::SQS::Queue', { Properties: { QueueName: 'Sharded-shrink-high' } }))).toHaveLength(1);
    shardTemplate.resourceCountIs('AWS::SQS::Queue', 0);
    baseTemplate.resourceCountIs('AWS::StepFunctions::StateMachine', 0);
    expect(shard.dependencies).toContain(base);
  });

  it('lets the shard\'s state machine send to the base\'s lanes by name-built ARN and URL, with no cross-stack export', () => {
    const machines = Object.values(shardTemplate.findResources('AWS::StepFunctions::StateMachine'))
      .filter((m) => JSON.stringify(m.Properties.DefinitionSubstitutions ?? {}).includes('PoolQueue_shrink_high'));
    expect(machines).toHaveLength(1);
    const substitutions = JSON.stringify(machines[0].Properties.DefinitionSubstitutions);
    expect(substitutions).toContain('/Sharded-shrink-high"');
    const sends = Object.values(shardTemplate.findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[])
      .filter((s) => [s.Action].flat().includes('sqs:SendMessage'));
    const resources = JSON.stringify(sends.map((s) => s.Resource));
    expect(resources).toContain(':Sharded-shrink-high"');
    expect(resources).toContain(':Sharded-shrink-normal"');
    expect(JSON.stringify(shardTemplate.toJSON())).not.toMatch(/Fn::ImportValue[^}]*Pool/);
  });

  it('lets the base\'s worker answer the task tokens of the shard\'s state machine', () => {
    const answers = Object.entries(baseTemplate.findResources('AWS::IAM::Policy'))
      .filter(([id]) => id.startsWith('PoolshrinkWorkerRole'))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[])
      .filter((s) => [s.Action].flat().includes('states:SendTaskSuccess'));
    expect(JSON.stringify(answers.map((s) => s.Resource))).toContain(':stateMachine:Sharded-pooled');
  });

  it('serves the pool from the base\'s API', () => {
    const api = baseTemplate.toJSON().Resources[base.resolve((base.api.function.node.defaultChild as any).logicalId)];
    expect(JSON.stringify(api.Properties.Environment.Variables.STEPFLOW_POOLS)).toContain('Sharded-shrink-high');
  });
});
