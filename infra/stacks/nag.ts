import { Validations, type Stage } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { WildcardResourceCheck } from './wildcard-resource-check.ts';

/**
 * The checks every stepflow synth runs: the cdk-nag packs AwsSolutions and Serverless, and the wildcard
 * check that keeps `Resource: "*"` to the actions that accept nothing else. Any finding not acknowledged
 * on its resource (with a reason) fails the synth.
 */
export function addNagChecks(app: Stage): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app), new WildcardResourceCheck());
}
