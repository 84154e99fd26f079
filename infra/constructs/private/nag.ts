import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';

/**
 * Acknowledges one cdk-nag finding on one construct (and the resources beneath it), with the reason
 * it is acceptable there. Stored as CDK validation metadata: harmless when cdk-nag is not in use.
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * Acknowledges `AwsSolutions-IAM5[Resource::<arn>]` for one resource ARN holding a wildcard, spelled
 * the way cdk-nag spells it (`<Logical.Attr>` for references, `<AWS::Region>` for pseudo parameters).
 */
export function acknowledgeWildcardResource(scope: IConstruct, arn: string, reason: string): void {
  const flat = flattenCfnReference(Stack.of(scope).resolve(arn));
  acknowledge(scope, `AwsSolutions-IAM5[Resource::${flat}]`, reason);
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
