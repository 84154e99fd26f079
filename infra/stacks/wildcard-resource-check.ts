import { readFileSync } from 'node:fs';
import type { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';

/**
 * Actions AWS documents as accepting only `Resource: "*"`, and only these, may have it:
 * X-Ray (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html) and the
 * CloudWatch Logs log-delivery actions Step Functions logging needs
 * (https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html#cloudwatch-iam-policy).
 */
export const STAR_ONLY_ACTIONS: readonly string[] = [
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
];

const RULE = 'stepflow-wildcard-resource';

/**
 * cdk-nag reports `Resource: "*"` once per policy (`AwsSolutions-IAM5[Resource::*]`) whatever the actions,
 * so acknowledging it for X-Ray would also let any other action on `*` through. This check runs on every
 * synthesized template and fails the synth for an identity policy statement (IAM policies and inline role
 * policies) granting an action outside STAR_ONLY_ACTIONS on `*`. Key policies and resource policies are
 * not identity policies and are left to cdk-nag.
 */
export class WildcardResourceCheck implements IPolicyValidationPlugin {
  readonly name = 'stepflow-wildcard-resource';
  readonly ruleIds = [RULE];

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const violations: PolicyViolation[] = [];
    for (const templatePath of context.templatePaths) {
      const template = JSON.parse(readFileSync(templatePath, 'utf8')) as { Resources?: Record<string, { Type: string; Properties?: any; Metadata?: any }> };
      for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
        const offending = identityStatements(resource).flatMap(wideActions);
        if (offending.length === 0) continue;
        violations.push({
          ruleName: RULE,
          description: `grants ${[...new Set(offending)].join(', ')} on Resource "*"; name the resources the code uses`,
          violatingResources: [{ resourceLogicalId: logicalId, constructPath: resource.Metadata?.['aws:cdk:path'], templatePath, locations: ['Properties'] }],
        });
      }
    }
    return { success: violations.length === 0, violations };
  }
}

function identityStatements(resource: { Type: string; Properties?: any }): any[] {
  const props = resource.Properties ?? {};
  if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') return props.PolicyDocument?.Statement ?? [];
  if (resource.Type === 'AWS::IAM::Role') return (props.Policies ?? []).flatMap((p: any) => p.PolicyDocument?.Statement ?? []);
  return [];
}

function wideActions(statement: any): string[] {
  if (statement.Effect !== 'Allow') return [];
  const resources = [statement.Resource].flat();
  if (!resources.includes('*')) return [];
  return [statement.Action].flat().filter((action: string) => !STAR_ONLY_ACTIONS.includes(action));
}
