import { startAwsJsonServer } from '../private/aws-json-server.ts';
import type { EmulatorControls } from '../private/call-log.ts';
import type { LocalEventBus } from './event-bus.ts';
import type { PutEventsEntry } from './event-entry.ts';
import { EventBridgeError } from './eventbridge-error.ts';
import type { RuleInput, Target } from './rules.ts';
import { testEventPattern } from './test-event-pattern.ts';

export interface EventBridgeServerProps {
  readonly bus: LocalEventBus;
  /** @default 0 (a free port) */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** Keep every call in `calls` (tests). @default false */
  readonly recordCalls?: boolean;
}

export interface EventBridgeServer extends EmulatorControls {
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
  TestEventPattern(_bus, request) {
    return testEventPattern(request);
  },
  DescribeEventBus(bus, request) {
    const name = optionalString(request.Name) ?? 'default';
    if (!bus.busNames().includes(name)) throw new EventBridgeError('ResourceNotFoundException', `Event bus ${name} does not exist.`);
    return { Name: name, Arn: bus.busArn(name) };
  },
};

/** Starts the server on 127.0.0.1. */
export function startEventBridgeServer(props: EventBridgeServerProps): Promise<EventBridgeServer> {
  return startAwsJsonServer({
    targetPrefix: TARGET_PREFIX,
    contentType: CONTENT_TYPE,
    backend: props.bus,
    operations,
    clientErrorCode: (error) => (error instanceof EventBridgeError ? error.code : undefined),
    internalErrorCode: 'InternalException',
    port: props.port,
    host: props.host,
    recordCalls: props.recordCalls,
  });
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
