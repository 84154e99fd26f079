import { App } from 'aws-cdk-lib';
import { resolve } from 'node:path';
import { loadProject } from '../../project/load-project.ts';
import { formatDiagnostic, hasErrors } from '../../core/definition/diagnostics.ts';
import { addNagChecks } from './nag.ts';
import { recordedShards, recordShards, SHARDS_CONTEXT_KEY } from './sharding/shard-context.ts';
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
// Services a workflow names without declaring are located by STEPFLOW_SERVICE_<NAME>_URL, taken from the
// environment of the synth.
const serviceEnvironment = Object.fromEntries(
  Object.entries(process.env).filter((entry): entry is [string, string] => /^STEPFLOW_SERVICE_[A-Z0-9_]+_URL$/.test(entry[0]) && !!entry[1]),
);
const stackName = String(app.node.tryGetContext('stepflow:stackName') ?? 'Stepflow');
const stack = new StepflowStack(app, stackName, {
  plans,
  shardAssignments: recordedShards(app.node.tryGetContext(SHARDS_CONTEXT_KEY), stackName),
  serviceEnvironment,
  tags: contextObject(app.node.tryGetContext('stepflow:tags')), // e.g. -c 'stepflow:tags={"team":"data"}'
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
// Workflows past one stack's budget go to shard stacks; where each went is kept so that none ever moves.
recordShards(resolve('cdk.context.json'), stackName, stack.shardAssignment);
app.synth();

function contextObject(value: unknown): Record<string, string> | undefined {
  return typeof value === 'string' ? JSON.parse(value) : (value as Record<string, string> | undefined);
}
