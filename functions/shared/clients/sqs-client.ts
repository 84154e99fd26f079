import { SQSClient } from '@aws-sdk/client-sqs';
import type { AwsSettings } from '../config.ts';
import { clientOptions } from './client-options.ts';

export function makeSqsClient(settings: AwsSettings): SQSClient {
  return new SQSClient(clientOptions(settings, settings.endpoints?.sqs));
}
