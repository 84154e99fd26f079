import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../../../core/compiler/compile.ts';
import { loadDefinitionText } from '../../../project/definition-files.ts';
import { addNagChecks } from '../../../infra/stacks/nag.ts';
import { StepflowStack } from '../../../infra/stacks/stepflow-stack.ts';
import { NO_BUNDLING } from '../constructs/fixtures/plans.ts';

const FILE = resolve('test/local/fixtures/definitions/pipeline.yaml');

function plan(name: string, forEach: string) {
  const { definition, diagnostics } = loadDefinitionText(`workflow:
  name: ${name}
  stages:
    - name: double
      for_each: ${forEach}
      max_concurrency: 100
      large: true
      task: { name: double_item, handler: ../handlers/pipeline.ts#item }
`, FILE);
  if (!definition) throw new Error(JSON.stringify(diagnostics));
  return compileWorkflow(definition, { projectRoot: resolve('.') });
}

describe('fan-outs over an S3 object, deployed', () => {
  const app = new App({ context: NO_BUNDLING });
  addNagChecks(app);
  const stack = new StepflowStack(app, 'S3Items', { plans: [plan('from_s3', 's3://item-sets/runs/items.json'), plan('from_input', '$.input.items')] });
  const template = Template.fromStack(stack);
  type Statement = { Action: string | string[]; Resource: unknown };
  const statements = Object.values(template.findResources('AWS::IAM::Policy'))
    .map((p) => ({ roles: JSON.stringify(p.Properties.Roles), statements: p.Properties.PolicyDocument.Statement as Statement[] }));

  it('grants s3:GetObject on that one object, to that state machine\'s role only', () => {
    const reads = statements.flatMap((p) => p.statements.filter((s) => [s.Action].flat().includes('s3:GetObject')).map((s) => ({ ...s, roles: p.roles })));
    expect(reads).toHaveLength(1);
    expect(reads[0].Action).toBe('s3:GetObject');
    expect(reads[0].Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::item-sets/runs/items.json']] });
    const machines = template.findResources('AWS::StepFunctions::StateMachine');
    const reader = Object.entries(machines).find(([, m]) => JSON.stringify(m.Properties.StateMachineName).includes('from_s3'))!;
    expect(reads[0].roles).toContain(JSON.stringify(reader[1].Properties.RoleArn['Fn::GetAtt'][0]));
  });

  it('is cdk-nag clean', () => {
    for (const pack of [new AwsSolutionsChecks(app), new ServerlessChecks(app)]) {
      const report = pack.validateScope(app);
      expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    }
  });
});
