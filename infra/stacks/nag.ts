import { Validations, type Stage } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';

/**
 * The cdk-nag packs every stepflow synth runs: AwsSolutions and Serverless. Any finding not acknowledged
 * on its resource (with a reason) fails the synth.
 */
export function addNagChecks(app: Stage): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
}
