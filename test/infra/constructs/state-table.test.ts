import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { beforeAll, describe, expect, it } from 'vitest';
import { BY_STATUS_INDEX, BY_WORKFLOW_INDEX, LISTED_ATTRIBUTES } from '../../../core/contracts/table-keys.ts';
import { StateTable } from '../../../infra/constructs/state-table.ts';

describe('StateTable', () => {
  let template: Template;

  beforeAll(() => {
    const stack = new Stack(new App(), 'Test');
    const table = new StateTable(stack, 'State');
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    table.grantRecordExecutions(reader);
    template = Template.fromStack(stack);
  });

  it('keys items by pk/sk with the indexes of the table schema', () => {
    const index = (i: typeof BY_STATUS_INDEX | typeof BY_WORKFLOW_INDEX) => ({
      IndexName: i.name,
      KeySchema: [
        { AttributeName: i.partitionKey, KeyType: 'HASH' },
        { AttributeName: i.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...LISTED_ATTRIBUTES] },
    });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [index(BY_STATUS_INDEX), index(BY_WORKFLOW_INDEX)],
    });
  });

  it('bills per request, keeps point-in-time recovery and encrypts with KMS', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      // SSEEnabled without a key: KMS with the AWS-managed aws/dynamodb key.
      SSESpecification: { SSEEnabled: true, KMSMasterKeyId: Match.absent() },
      DeletionProtectionEnabled: true,
    });
  });

  it('is retained by default', () => {
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('grants the recorder conditional updates on the table only', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'dynamodb:UpdateItem',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^StateTable'), 'Arn'] },
          },
        ],
      },
    });
  });

  it('takes a removal policy and a customer-managed key', () => {
    const stack = new Stack(new App(), 'Custom');
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const table = new StateTable(stack, 'State', { removalPolicy: RemovalPolicy.DESTROY, encryptionKey: key, deletionProtection: false });
    const api = new iam.Role(stack, 'Api', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    table.grantManageExecutions(api);
    const custom = Template.fromStack(stack);
    custom.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() } }),
    });
    const statements = Object.values(custom.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements.map((s) => s.Action)).toContainEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*']));
    const dynamo = statements.find((s) => JSON.stringify(s.Action).includes('dynamodb:'));
    expect(dynamo.Action).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query']);
    expect(dynamo.Resource).toHaveLength(3);
  });
});
