import { App } from 'aws-cdk-lib';
import { resolve } from 'node:path';
import { loadProject } from '../compiler/project.ts';
import { formatDiagnostic, hasErrors } from '../definition/diagnostics.ts';
import { addNagChecks } from './nag.ts';
import { StepflowStack } from './stepflow-stack.ts';

const app = new App();
const definitions = resolve(String(app.node.tryGetContext('stepflow:definitions') ?? 'definitions'));
const { plans, diagnostics } = loadProject(definitions);
for (const diagnostic of diagnostics) console.error(formatDiagnostic(diagnostic));
if (hasErrors(diagnostics)) {
  console.error(`stepflow: definitions in ${definitions} have errors; nothing synthesized.`);
  process.exit(1);
}
addNagChecks(app);
new StepflowStack(app, String(app.node.tryGetContext('stepflow:stackName') ?? 'Stepflow'), {
  plans,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
app.synth();
