import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SFNClient } from '@aws-sdk/client-sfn';
import { ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AwsSettings } from './config.ts';
import { traceAwsClient } from './lambda-entry.ts';

/** Every AWS SDK client stepflow's handlers use, each made on first use. */
export interface AwsClients {
  readonly dynamo: DynamoDBDocumentClient;
  readonly sfn: SFNClient;
  readonly scheduler: SchedulerClient;
  readonly eventBridge: EventBridgeClient;
  /** AWS Cloud Map, for services with `discovery: cloudmap`. */
  readonly serviceDiscovery: ServiceDiscoveryClient;
  readonly sqs: SQSClient;
  /** Pools' event source mappings and provisioned concurrency. */
  readonly lambda: LambdaClient;
}

/**
 * The one place SDK clients are made. Without explicit endpoints the SDK reads the standard
 * AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> variables itself
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html), so the same code talks to
 * AWS or LocalStack; the offline stack passes its servers' endpoints and dummy credentials as values.
 */
export function createAwsClients(settings: AwsSettings): AwsClients {
  const common = (endpoint: string | undefined) => ({
    region: settings.region,
    ...(endpoint ? { endpoint } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
  });
  const endpoints = settings.endpoints ?? {};
  let dynamo: DynamoDBDocumentClient | undefined;
  let sfn: SFNClient | undefined;
  let scheduler: SchedulerClient | undefined;
  let eventBridge: EventBridgeClient | undefined;
  let serviceDiscovery: ServiceDiscoveryClient | undefined;
  let sqs: SQSClient | undefined;
  let lambda: LambdaClient | undefined;
  return {
    get dynamo() {
      dynamo ??= DynamoDBDocumentClient.from(traceAwsClient(new DynamoDBClient(common(endpoints.dynamodb))), { marshallOptions: { removeUndefinedValues: true } });
      return dynamo;
    },
    get sfn() {
      sfn ??= traceAwsClient(new SFNClient({ ...common(endpoints.sfn), disableHostPrefix: settings.disableHostPrefix || endpoints.sfn !== undefined }));
      return sfn;
    },
    get scheduler() {
      scheduler ??= traceAwsClient(new SchedulerClient(common(endpoints.scheduler)));
      return scheduler;
    },
    get eventBridge() {
      eventBridge ??= traceAwsClient(new EventBridgeClient(common(endpoints.eventbridge)));
      return eventBridge;
    },
    get serviceDiscovery() {
      serviceDiscovery ??= new ServiceDiscoveryClient(common(endpoints.servicediscovery));
      return serviceDiscovery;
    },
    get sqs() {
      sqs ??= new SQSClient(common(endpoints.sqs));
      return sqs;
    },
    get lambda() {
      lambda ??= traceAwsClient(new LambdaClient(common(endpoints.lambda)));
      return lambda;
    },
  };
}
