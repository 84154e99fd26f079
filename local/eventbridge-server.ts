import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { BodyTooLarge, close, listen, readBody, sendJson } from './private/http.ts';
import { EventBridgeError, type LocalEventBus, type PutEventsEntry, type RuleInput, type Target } from './scheduling/event-bus.ts';

export interface EventBridgeServerProps {
  readonly bus: LocalEventBus;
  /** @default 0 (a free port) */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
}

export interface EventBridgeServer {
  /** `http://127.0.0.1:<port>`, the value for AWS_ENDPOINT_URL_EVENTBRIDGE. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const TARGET_PREFIX = 'AWSEvents.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';

type Request = Record<string, unknown>;
type Operation = (bus: LocalEventBus, request: Request) => unknown;

/**
 * The EventBridge operations the stack uses, over the awsJson1_1 protocol
 * (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Operations.html).
 */
const operations: Record<string, Operation> = {
  PutEvents(bus, request) {
    const entries = (request.Entries ?? []) as Record<string, unknown>[];
    return bus.putEvents(
      entries.map((e): PutEventsEntry => ({
        Source: optionalString(e.Source),
        DetailType: optionalString(e.DetailType),
        Detail: optionalString(e.Detail),
        Resources: Array.isArray(e.Resources) ? e.Resources.map(String) : undefined,
        // awsJson timestamps are epoch seconds.
        Time: typeof e.Time === 'number' ? new Date(e.Time * 1000) : undefined,
        EventBusName: optionalString(e.EventBusName),
      })),
    );
  },
  PutRule(bus, request) {
    return { RuleArn: bus.putRule(request as unknown as RuleInput) };
  },
  DeleteRule(bus, request) {
    bus.deleteRule(requiredString(request, 'Name'), optionalString(request.EventBusName));
    return {};
  },
  DescribeRule(bus, request) {
    return bus.describeRule(requiredString(request, 'Name'), optionalString(request.EventBusName));
  },
  ListRules(bus, request) {
    const all = bus.listRules(optionalString(request.EventBusName), optionalString(request.NamePrefix));
    const { items, nextToken } = page(all, request);
    return { Rules: items, ...(nextToken ? { NextToken: nextToken } : {}) };
  },
  PutTargets(bus, request) {
    const failed = bus.putTargets(requiredString(request, 'Rule'), optionalString(request.EventBusName), (request.Targets ?? []) as Target[]);
    return { FailedEntryCount: failed.length, FailedEntries: failed };
  },
  RemoveTargets(bus, request) {
    bus.removeTargets(requiredString(request, 'Rule'), optionalString(request.EventBusName), ((request.Ids ?? []) as unknown[]).map(String));
    return { FailedEntryCount: 0, FailedEntries: [] };
  },
  ListTargetsByRule(bus, request) {
    const { items, nextToken } = page(bus.listTargets(requiredString(request, 'Rule'), optionalString(request.EventBusName)), request);
    return { Targets: items, ...(nextToken ? { NextToken: nextToken } : {}) };
  },
  DescribeEventBus(bus, request) {
    const name = optionalString(request.Name) ?? 'default';
    if (!bus.busNames().includes(name)) throw new EventBridgeError('ResourceNotFoundException', `Event bus ${name} does not exist.`);
    return { Name: name, Arn: bus.busArn(name) };
  },
};

/** Starts the server on 127.0.0.1. */
export async function startEventBridgeServer(props: EventBridgeServerProps): Promise<EventBridgeServer> {
  const host = props.host ?? '127.0.0.1';
  const server: Server = createServer((req, res) => void handle(props.bus, req, res));
  const port = await listen(server, props.port ?? 0, host);
  return { url: `http://${host}:${port}`, port, close: () => close(server) };
}

async function handle(bus: LocalEventBus, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  const reply = (status: number, body: unknown, errorType?: string) =>
    sendJson(res, status, body, { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId, ...(errorType ? { 'x-amzn-errortype': errorType } : {}) });
  const fail = (status: number, code: string, message: string) => reply(status, { __type: code, message }, code);
  try {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(TARGET_PREFIX) ? operations[target.slice(TARGET_PREFIX.length)] : undefined;
    if (req.method !== 'POST' || !operation) return fail(400, 'UnknownOperationException', `unsupported operation: ${req.method} ${target || '(no X-Amz-Target)'}`);
    const text = (await readBody(req)).toString('utf8');
    let request: Request;
    try {
      request = text ? (JSON.parse(text) as Request) : {};
    } catch {
      return fail(400, 'SerializationException', 'request body is not JSON');
    }
    reply(200, await operation(bus, request));
  } catch (error) {
    if (error instanceof BodyTooLarge) return fail(413, 'ValidationException', error.message);
    if (error instanceof EventBridgeError) return fail(400, error.code, error.message);
    fail(500, 'InternalException', error instanceof Error ? error.message : String(error));
  }
}

/** Limit (1-100) and an opaque NextToken, as the List operations page. */
function page<T>(items: readonly T[], request: Request): { items: T[]; nextToken?: string } {
  const max = typeof request.Limit === 'number' && request.Limit > 0 ? Math.min(request.Limit, 100) : 100;
  const offset = typeof request.NextToken === 'string' ? Number(Buffer.from(request.NextToken, 'base64url').toString()) || 0 : 0;
  const next = offset + max < items.length ? Buffer.from(String(offset + max)).toString('base64url') : undefined;
  return { items: items.slice(offset, offset + max), nextToken: next };
}

function requiredString(request: Request, field: string): string {
  const value = request[field];
  if (typeof value !== 'string' || value === '') throw new EventBridgeError('ValidationException', `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must not be null`);
  return value;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
