import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { close, listen, sendJson } from '../../private/http.ts';

/** The emulated services the edge routes to, by the names the SDK's endpoint variables use. */
export type EdgeService = 'sfn' | 'eventbridge' | 'scheduler' | 'dynamodb' | 'sqs';

/** LocalStack uses 4566; another default lets both run side by side. */
export const DEFAULT_AWS_PORT = 4599;

export interface EdgeServerProps {
  /** `http://127.0.0.1:<port>` of each emulator. */
  readonly targets: Readonly<Record<EdgeService, string>>;
  /** @default DEFAULT_AWS_PORT (0 picks a free one) */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
}

export interface EdgeServer {
  /** The one endpoint for every service: the value for AWS_ENDPOINT_URL or `aws --endpoint-url`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const TARGET_PREFIXES: readonly (readonly [string, EdgeService])[] = [
  ['AWSStepFunctions.', 'sfn'],
  ['AWSEvents.', 'eventbridge'],
  ['DynamoDB_', 'dynamodb'],
  // SQS's JSON protocol (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-making-api-requests-json.html).
  ['AmazonSQS.', 'sqs'],
];

/** SigV4 signing names (the credential scope's service) of the emulated services. */
const SIGNING_NAMES: Readonly<Record<string, EdgeService>> = { states: 'sfn', events: 'eventbridge', scheduler: 'scheduler', dynamodb: 'dynamodb', sqs: 'sqs' };

/**
 * Which service a request is for, as LocalStack's edge tells them apart: the awsJson protocols by their
 * X-Amz-Target prefix, the others by the service name in the SigV4 credential scope, and unsigned
 * Scheduler calls (restJson1) by their path.
 */
export function serviceOf(headers: IncomingMessage['headers'], path: string): EdgeService | undefined {
  const target = String(headers['x-amz-target'] ?? '');
  for (const [prefix, service] of TARGET_PREFIXES) if (target.startsWith(prefix)) return service;
  const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(String(headers.authorization ?? ''));
  if (scope && Object.hasOwn(SIGNING_NAMES, scope[1])) return SIGNING_NAMES[scope[1]];
  if (/^\/(schedules|schedule-groups)(\/|\?|$)/.test(path)) return 'scheduler';
  return undefined;
}

/** One HTTP endpoint on 127.0.0.1 forwarding each request, unchanged, to the emulator it is for. */
export async function startEdgeServer(props: EdgeServerProps): Promise<EdgeServer> {
  const host = props.host ?? '127.0.0.1';
  const server: Server = createServer((req, res) => forward(props.targets, req, res));
  const port = await listen(server, props.port ?? DEFAULT_AWS_PORT, host);
  return { url: `http://${host}:${port}`, port, close: () => close(server) };
}

function forward(targets: EdgeServerProps['targets'], req: IncomingMessage, res: ServerResponse): void {
  const path = req.url ?? '/';
  const service = serviceOf(req.headers, path);
  if (!service) {
    req.resume();
    if (req.method === 'GET' && path === '/') return sendJson(res, 200, { services: Object.keys(targets) });
    return sendJson(res, 400, { __type: 'UnknownServiceException', message: 'no X-Amz-Target, SigV4 scope or path names an emulated service' }, { 'x-amzn-errortype': 'UnknownServiceException' });
  }
  const target = new URL(targets[service]);
  const upstream = httpRequest(
    { host: target.hostname, port: target.port, method: req.method, path, headers: { ...req.headers, host: target.host } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', (error) => {
    if (res.headersSent) return void res.destroy();
    sendJson(res, 502, { __type: 'ServiceUnavailableException', message: `${service} emulator: ${error.message}` });
  });
  req.pipe(upstream);
}

/** `STEPFLOW_AWS_PORT` when it is a port number, else the default. */
export function awsPortFromEnv(env: Readonly<Record<string, string | undefined>>): number {
  const value = Number(env.STEPFLOW_AWS_PORT);
  return env.STEPFLOW_AWS_PORT && Number.isInteger(value) && value >= 0 && value < 65536 ? value : DEFAULT_AWS_PORT;
}
