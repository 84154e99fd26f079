import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { BodyTooLarge, close, listen, readBody, sendJson } from '../../private/http.ts';
import { CallLog, type EmulatorControls } from './call-log.ts';

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
  /** Keep every call in `calls` (tests). @default false */
  readonly recordCalls?: boolean;
}

export interface AwsJsonServer extends EmulatorControls {
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
  const log = new CallLog(props.recordCalls);
  const server: Server = createServer((req, res) => void handle(props, log, req, res));
  const port = await listen(server, props.port ?? 0, host);
  return { url: `http://${host}:${port}`, port, calls: log.calls, failNext: (operation, fault) => log.failNext(operation, fault), close: () => close(server) };
}

async function handle<Backend>(props: AwsJsonServerProps<Backend>, log: CallLog, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  const reply = (status: number, body: unknown, errorType?: string) =>
    sendJson(res, status, body, { 'content-type': props.contentType, 'x-amzn-requestid': requestId, ...(errorType ? { 'x-amzn-errortype': errorType } : {}) });
  const fail = (status: number, code: string, message: string) => reply(status, { __type: code, message }, code);
  const target = String(req.headers['x-amz-target'] ?? '');
  const name = target.startsWith(props.targetPrefix) ? target.slice(props.targetPrefix.length) : '';
  let request: AwsJsonRequest = {};
  const failRecorded = (status: number, code: string, message: string) => {
    log.record({ operation: name, input: request, error: { code, message } });
    fail(status, code, message);
  };
  try {
    const operation = Object.hasOwn(props.operations, name) ? props.operations[name] : undefined;
    if (req.method !== 'POST' || !operation) return fail(400, 'UnknownOperationException', `unsupported operation: ${req.method} ${target || '(no X-Amz-Target)'}`);
    const text = (await readBody(req)).toString('utf8');
    try {
      request = text ? (JSON.parse(text) as AwsJsonRequest) : {};
    } catch {
      return failRecorded(400, 'SerializationException', 'request body is not JSON');
    }
    const fault = log.takeFault(name);
    if (fault) return failRecorded(fault.status, fault.code, fault.message);
    const output = await operation(props.backend, request);
    log.record({ operation: name, input: request, output });
    reply(200, output);
  } catch (error) {
    if (error instanceof BodyTooLarge) return failRecorded(413, 'ValidationException', error.message);
    const code = props.clientErrorCode(error);
    if (code) return failRecorded(400, code, (error as Error).message);
    failRecorded(500, props.internalErrorCode, error instanceof Error ? error.message : String(error));
  }
}
