import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AwsSettings } from '../config.ts';
import { traceAwsClient } from '../lambda-entry.ts';
import { clientOptions } from './client-options.ts';

/** The DynamoDB document client (undefined attributes dropped). */
export function makeDynamoClient(settings: AwsSettings): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(traceAwsClient(new DynamoDBClient(clientOptions(settings, settings.endpoints?.dynamodb))), { marshallOptions: { removeUndefinedValues: true } });
}
