import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { awsRegion } from './config.ts';

/*
 * SDK clients, created once per Lambda container. Endpoints come from the standard
 * AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> variables, which the SDK reads itself
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html), so the same code talks
 * to AWS, LocalStack or the offline servers.
 */

let documentClient: DynamoDBDocumentClient | undefined;
let sfn: SFNClient | undefined;

export function dynamoDocumentClient(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({ region: awsRegion() }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documentClient;
}

export function sfnClient(): SFNClient {
  sfn ??= new SFNClient({ region: awsRegion() });
  return sfn;
}

/** Drop the cached clients (tests point the endpoints somewhere else between suites). */
export function resetClients(): void {
  documentClient = undefined;
  sfn = undefined;
}
