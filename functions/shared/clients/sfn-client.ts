import { SFNClient } from '@aws-sdk/client-sfn';
import type { AwsSettings } from '../config.ts';
import { traceAwsClient } from '../lambda-entry.ts';
import { clientOptions } from './client-options.ts';

/** The Step Functions client; with an explicit endpoint (offline) no host prefix is added to it. */
export function makeSfnClient(settings: AwsSettings): SFNClient {
  const endpoint = settings.endpoints?.sfn;
  return traceAwsClient(new SFNClient({ ...clientOptions(settings, endpoint), disableHostPrefix: settings.disableHostPrefix || endpoint !== undefined }));
}
