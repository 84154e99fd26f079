import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { BodyTooLarge, close, listen, readBody, sendJson } from '../../private/http.ts';

export type AwsJsonRequest = Record<string, unknown>;

export interface AwsJsonServerProps<Backend> {
  /** `AWSStepFunctions.`, `AWSEvents.`: the X-Amz-Target prefix of the service. */
  readonly targetPrefix: string;
  /** `application/x-amz-json-1.0` or `-1.1`. */
  readonly contentType: string;
  readonly backend: Backend;
  readonly operations: Readonly<Record<string, (backend: Backend, request: AwsJsonRequest) => unknown>>;
  /** The wire code of an error the caller caused (answered 400), or undefined for a server fault. */
  readonly clientErrorCode: (error: unknown) => string | undefined;
  /** Code of a server fault, as the service names it. */
  readonly internalErrorCode: string;
  /** @default 0 (a free port) */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
}

export interface AwsJsonServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * An HTTP server on 127.0.0.1 speaking the AWS JSON protocols (awsJson1_0 / awsJson1_1): `POST /` with
 * `X-Amz-Target: <prefix><Operation>`, errors as `{"__type": code, "message"}` with `x-amzn-errortype`.
 */
export async function startAwsJsonServer<Backend>(props: AwsJsonServerProps<Backend>): Promise<AwsJsonServer> {
  const host = props.host ?? '127.0.0.1';
  const server: Server = createServer((req, res) => void handle(props, req, res));
  const port = await listen(server, props.port ?? 0, host);
  return { url: `http://${host}:${port}`, port, close: () => close(server) };
}

async function handle<Backend>(props: AwsJsonServerProps<Backend>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  const reply = (status: number, body: unknown, errorType?: string) =>
    sendJson(res, status, body, { 'content-type': props.contentType, 'x-amzn-requestid': requestId, ...(errorType ? { 'x-amzn-errortype': errorType } : {}) });
  const fail = (status: number, code: string, message: string) => reply(status, { __type: code, message }, code);
  try {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(props.targetPrefix) ? props.operations[target.slice(props.targetPrefix.length)] : undefined;
    if (req.method !== 'POST' || !operation) return fail(400, 'UnknownOperationException', `unsupported operation: ${req.method} ${target || '(no X-Amz-Target)'}`);
    const text = (await readBody(req)).toString('utf8');
    let request: AwsJsonRequest;
    try {
      request = text ? (JSON.parse(text) as AwsJsonRequest) : {};
    } catch {
      return fail(400, 'SerializationException', 'request body is not JSON');
    }
    reply(200, await operation(props.backend, request));
  } catch (error) {
    if (error instanceof BodyTooLarge) return fail(413, 'ValidationException', error.message);
    const code = props.clientErrorCode(error);
    if (code) return fail(400, code, (error as Error).message);
    fail(500, props.internalErrorCode, error instanceof Error ? error.message : String(error));
  }
}
