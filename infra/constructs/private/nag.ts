import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import { ConfigurationError } from '../../../core/errors.ts';

/**
 * Acknowledges one cdk-nag finding on exactly one CloudFormation resource, with the reason it is
 * acceptable there. `id` names the finding as cdk-nag reports it, including its `[appliesTo]` part where
 * the rule has one (`AwsSolutions-IAM5[Resource::*]`), so another finding of the same rule still fails.
 * A construct is narrowed to its default child (the function of a NodejsFunction, the queue of a Queue);
 * cdk-nag also applies an acknowledgement to every resource beneath the construct holding it, so holding it
 * on the resource itself keeps resources added later outside it. Stored as CDK validation metadata:
 * harmless when cdk-nag is not in use.
 */
export function acknowledge(target: IConstruct, id: string, reason: string): void {
  Validations.of(cfnResourceOf(target)).acknowledge({ id, reason });
}

/**
 * Acknowledges `AwsSolutions-IAM5[Resource::<arn>]` for one resource ARN holding a wildcard, on the role's
 * default policy only, spelled the way cdk-nag spells it (`<Logical.Attr>` for references, `<AWS::Region>`
 * for pseudo parameters).
 */
export function acknowledgeWildcardResource(role: iam.IRole, arn: string, reason: string): void {
  const flat = flattenCfnReference(Stack.of(role).resolve(arn));
  acknowledge(defaultPolicyOf(role), `AwsSolutions-IAM5[Resource::${flat}]`, reason);
}

/**
 * Acknowledges `Resource: "*"` on the role's default policy: only for the actions AWS allows on `*` alone
 * (X-Ray, log delivery); the wildcard check of `infra/stacks/wildcard-resource-check.ts` fails the synth for
 * any other action on `*`, in this policy or another.
 */
export function acknowledgeStarOnlyActions(role: iam.IRole, reason: string): void {
  acknowledge(defaultPolicyOf(role), 'AwsSolutions-IAM5[Resource::*]', reason);
}

/** The `AWS::IAM::Policy` CDK creates for statements added to a role; throws when it has none yet. */
export function defaultPolicyOf(role: iam.IRole): CfnResource {
  const policy = role.node.tryFindChild('DefaultPolicy');
  const resource = policy?.node.defaultChild;
  if (!resource || !CfnResource.isCfnResource(resource)) {
    throw new ConfigurationError(`${role.node.path} has no default policy to acknowledge a finding on`);
  }
  return resource;
}

function cfnResourceOf(target: IConstruct): CfnResource {
  if (CfnResource.isCfnResource(target)) return target;
  const child = target.node.defaultChild;
  if (child && CfnResource.isCfnResource(child)) return child;
  throw new ConfigurationError(`${target.node.path} is not a CloudFormation resource: acknowledge findings on the resource itself`);
}

/** Reasons shared by several constructs. */
export const REASONS = {
  xray:
    'X-Ray PutTraceSegments/PutTelemetryRecords (and GetSampling* for Step Functions) do not support ' +
    'resource-level permissions; AWS documents Resource "*" as the only valid value.',
  synchronousLambda:
    'Invoked synchronously (by Step Functions or API Gateway): errors return to the caller, which retries ' +
    'and records them; a Lambda DLQ only applies to asynchronous invocations.',
} as const;
