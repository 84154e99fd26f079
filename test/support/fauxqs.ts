import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { SQSClient } from '@aws-sdk/client-sqs';

/** An in-memory fauxqs SQS server on 127.0.0.1, on a free port. */
export async function startLocalSqs(): Promise<FauxqsServer> {
  return startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
}

/** An SQS client on the server, with dummy credentials. */
export function sqsClient(server: FauxqsServer): SQSClient {
  return new SQSClient({ endpoint: server.address, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
}
