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

const FILE = resolve('test/local/fixtures/definitions/pipeline.yaml');

function plan(name: string, large: boolean) {
  const { definition, diagnostics } = loadDefinitionText(`workflow:
  name: ${name}
  stages:
    - name: listing
      tasks: [{ name: list_items, handler: ../handlers/pipeline.ts#list }]
    - name: double
      for_each: $.results.list_items.keys
      max_concurrency: ${large ? 500 : 10}
      large: ${large}
      tolerated_failure_percentage: 5
      task: { name: double_item, handler: ../handlers/pipeline.ts#item }
`, FILE);
  if (!definition) throw new Error(JSON.stringify(diagnostics));
  return compileWorkflow(definition, { projectRoot: resolve('.') });
}

describe('pipelines, deployed', () => {
  const app = new App({ context: NO_BUNDLING });
  addNagChecks(app);
  const stack = new StepflowStack(app, 'Pipelines', { plans: [plan('inline_pipeline', false), plan('large_pipeline', true)] });
  const template = Template.fromStack(stack);
  const machines = template.findResources('AWS::StepFunctions::StateMachine');
  const definitionOf = (name: string) => {
    const machine = Object.values(machines).find((m) => JSON.stringify(m.Properties.StateMachineName).includes(name))!;
    const body = machine.Properties.DefinitionString as string | { 'Fn::Join': [string, unknown[]] };
    const text = typeof body === 'string' ? body : body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : '"x"')).join('');
    return JSON.parse(text) as { States: Record<string, { Type: string; MaxConcurrency?: number; ItemProcessor?: { ProcessorConfig?: unknown } }> };
  };

  it('compiles each fan-out stage to a Map state with its concurrency and mode', () => {
    expect(definitionOf('inline_pipeline').States.double).toMatchObject({ Type: 'Map', MaxConcurrency: 10, ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' } } });
    expect(definitionOf('large_pipeline').States.double).toMatchObject({ Type: 'Map', MaxConcurrency: 500, ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } } });
    template.hasResourceProperties('AWS::Lambda::Function', { Description: Match.stringLikeRegexp('stepflow_pipeline') });
  });

  it('lets only the Distributed Map\'s state machine start, describe, stop and redrive its own child executions', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
    const starts = statements.filter((s) => [s.Action].flat().includes('states:StartExecution') && JSON.stringify(s.Resource).includes(':stateMachine:'));
    expect(starts).toHaveLength(1);
    expect(JSON.stringify(starts[0].Resource)).toContain('large_pipeline');
    const children = statements.find((s) => [s.Action].flat().includes('states:StopExecution') && JSON.stringify(s.Resource).includes(':execution:'));
    expect(JSON.stringify(children?.Resource)).toMatch(/execution:[^"]*large_pipeline[^"]*\/\*/);
    expect(statements.some((s) => [s.Action].flat().includes('states:RedriveExecution'))).toBe(true);
  });

  it('is cdk-nag clean', () => {
    for (const pack of [new AwsSolutionsChecks(app), new ServerlessChecks(app)]) {
      const report = pack.validateScope(app);
      expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    }
  });
});
