import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { LOCAL_ACCOUNT } from './engine/arn.ts';
import { createLambdaContext } from './engine/lambda-context.ts';
import { systemClock, type Clock } from './clock.ts';
import { BodyTooLarge, close, DEFAULT_MAX_BODY_BYTES, listen, readBody, sendJson } from './private/http.ts';

export type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface HttpAdapterProps {
  readonly handler: ProxyHandler;
  /** Larger request bodies are refused with 413 before being read whole. @default 1 MiB */
  readonly maxBodyBytes?: number;
  /** @default 'local' */
  readonly stage?: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Called with handler failures (answered 502 like API Gateway). @default console.error */
  readonly onError?: (error: unknown) => void;
  /** Answers some requests itself (the console's files) before the API sees them; true when it did. @default none */
  readonly intercept?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** True while the stack stops: requests are answered 503 without reaching the handler. @default never */
  readonly stopping?: () => boolean;
}

/** API Gateway's integration timeout for REST APIs (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html). */
const INTEGRATION_TIMEOUT_MS = 29_000;

/**
 * A node:http listener that does what API Gateway's Lambda proxy integration does: turn the request
 * into a REST (v1) proxy event, call the handler, write its result back
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html).
 * The API is one `/{proxy+}` resource; the handler routes on `path` itself, so pathParameters is null.
 */
export function httpAdapter(props: HttpAdapterProps): RequestListener {
  const clock = props.clock ?? systemClock;
  const onError = props.onError ?? ((error: unknown) => console.error('API handler failed:', error));
  const maxBodyBytes = props.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return (req, res) => {
    if (props.intercept?.(req, res)) return;
    void (async () => {
      if (props.stopping?.()) {
        return sendJson(res, 503, apiError('stopping', 'the offline stack is stopping; try again once it has restarted'), { connection: 'close', 'retry-after': '5' });
      }
      let body: Buffer;
      try {
        body = await readBody(req, maxBodyBytes);
      } catch (error) {
        if (error instanceof BodyTooLarge) {
          return sendJson(res, 413, apiError('payload_too_large', `request body is larger than ${maxBodyBytes} bytes`), { connection: 'close' });
        }
        return sendJson(res, 400, apiError('malformed_request', 'the request body could not be read'));
      }
      // requestTimeEpoch is whole milliseconds; the clock may carry a fraction.
      const event = toProxyEvent(req, body, { stage: props.stage ?? 'local', now: Math.floor(clock.now()) });
      const context = createLambdaContext({
        functionName: 'stepflow-api',
        requestId: event.requestContext.requestId,
        region: props.region ?? 'us-east-1',
        deadline: clock.now() + INTEGRATION_TIMEOUT_MS,
        now: () => clock.now(),
      });
      let result: APIGatewayProxyResult;
      try {
        result = await props.handler(event, context);
      } catch (error) {
        onError(error);
        return sendJson(res, 502, apiError('internal_error', 'Internal server error'));
      }
      writeResult(res, result, event.requestContext.requestId);
    })().catch((error: unknown) => {
      // A result that cannot be written (a bad status code or header, a body that is not text) is the
      // handler's failure too: 502 if nothing was sent yet, else the connection is cut.
      onError(error);
      if (res.headersSent) res.destroy();
      else {
        try {
          sendJson(res, 502, apiError('internal_error', 'Internal server error'));
        } catch {
          res.destroy();
        }
      }
    });
  };
}

/** The API's error shape (functions/api/error-response.ts), for what the adapter answers itself. */
function apiError(code: string, message: string) {
  return { error: { code, message } };
}

export interface ProxyEventOptions {
  readonly stage: string;
  /** Epoch ms of the request. */
  readonly now: number;
}

export function toProxyEvent(req: IncomingMessage, body: Buffer, options: ProxyEventOptions): APIGatewayProxyEvent {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = req.method ?? 'GET';
  const requestId = randomUUID();
  // rawHeaders keeps the case the client sent, as API Gateway does; `headers` holds the last value.
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const [name, value] = [req.rawHeaders[i], req.rawHeaders[i + 1]];
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    query[name] = value;
    (multiQuery[name] ??= []).push(value);
  }
  const hasQuery = Object.keys(query).length > 0;
  return {
    resource: '/{proxy+}',
    path: url.pathname,
    httpMethod: method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: null,
    stageVariables: null,
    body: body.length > 0 ? body.toString('utf8') : null,
    isBase64Encoded: false,
    requestContext: {
      accountId: LOCAL_ACCOUNT,
      apiId: 'local',
      authorizer: undefined,
      protocol: `HTTP/${req.httpVersion}`,
      httpMethod: method,
      path: `/${options.stage}${url.pathname}`,
      stage: options.stage,
      requestId,
      requestTimeEpoch: options.now,
      resourceId: 'local',
      resourcePath: '/{proxy+}',
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        user: null,
        userAgent: req.headers['user-agent'] ?? null,
        userArn: null,
      },
    },
  };
}

function writeResult(res: ServerResponse, result: APIGatewayProxyResult, requestId: string): void {
  const headers: Record<string, string | string[]> = { 'x-amzn-requestid': requestId };
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = String(value);
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) headers[name.toLowerCase()] = values.map(String);
  const body = result.body ? Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
  headers['content-length'] = String(body.length);
  res.writeHead(result.statusCode, headers);
  res.end(body);
}

export interface HttpApiServerProps extends HttpAdapterProps {
  /** @default 0 (a free port) */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
}

export interface HttpApiServer {
  readonly url: string;
  readonly port: number;
  /** From now on, requests are answered 503 (the stack is stopping); resolves once the requests already taken are answered. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

/** The adapter on its own HTTP server on 127.0.0.1. */
export async function startHttpApi(props: HttpApiServerProps): Promise<HttpApiServer> {
  const host = props.host ?? '127.0.0.1';
  let draining = false;
  let taken = 0;
  const idle: (() => void)[] = [];
  const listener = httpAdapter({ ...props, stopping: () => draining || (props.stopping?.() ?? false) });
  const server = createServer((req, res) => {
    if (!draining) {
      taken++;
      res.once('close', () => {
        if (--taken === 0) for (const resolve of idle.splice(0)) resolve();
      });
    }
    listener(req, res);
  });
  const port = await listen(server, props.port ?? 0, host);
  return {
    url: `http://${host}:${port}`,
    port,
    drain: async () => {
      draining = true;
      if (taken > 0) await new Promise<void>((resolve) => idle.push(resolve));
    },
    close: () => close(server),
  };
}
