import type { SFNClient } from '@aws-sdk/client-sfn';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AwsSettings } from '../config.ts';
import { makeDynamoClient } from './dynamo-client.ts';
import { makeSfnClient } from './sfn-client.ts';
import { makeSqsClient } from './sqs-client.ts';

/** What a pool worker talks to: its job records, the pooled tasks' tokens and its lane queues. */
export interface PoolWorkerClients {
  readonly dynamo: DynamoDBDocumentClient;
  readonly sfn: SFNClient;
  readonly sqs: SQSClient;
}

/**
 * A pool worker's clients, each made on first use. Only these three SDK packages are loaded: a worker
 * starts after every crash (offline a process, on AWS a cold start), and the other four cost about as
 * much to load as these.
 */
export function createPoolWorkerClients(settings: AwsSettings): PoolWorkerClients {
  let dynamo: PoolWorkerClients['dynamo'] | undefined;
  let sfn: PoolWorkerClients['sfn'] | undefined;
  let sqs: PoolWorkerClients['sqs'] | undefined;
  return {
    get dynamo() {
      dynamo ??= makeDynamoClient(settings);
      return dynamo;
    },
    get sfn() {
      sfn ??= makeSfnClient(settings);
      return sfn;
    },
    get sqs() {
      sqs ??= makeSqsClient(settings);
      return sqs;
    },
  };
}
