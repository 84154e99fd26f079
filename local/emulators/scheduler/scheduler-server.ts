import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { BodyTooLarge, close, listen, readBody, sendJson } from '../../private/http.ts';
import { CallLog, type EmulatorControls } from '../private/call-log.ts';
import { SchedulerError } from './scheduler-error.ts';
import type { CreateScheduleInput, LocalSchedulerService, ScheduleDescription } from './scheduler-service.ts';

export interface SchedulerServerProps {
  readonly service: LocalSchedulerService;
  /**
   * Served at `GET /_stepflow/schedule-stats` (not an AWS operation): every armed schedule's fires and
   * lateness, for `stepflow schedules` (may be read from a store). @default not served
   */
  readonly stats?: () => unknown;
  /** @default 0 (a free port) */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** Keep every call in `calls` (tests). @default false */
  readonly recordCalls?: boolean;
}

export interface SchedulerServer extends EmulatorControls {
  /** `http://127.0.0.1:<port>`, the value for AWS_ENDPOINT_URL_SCHEDULER. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Where the offline Scheduler serves fire statistics. */
export const STATS_PATH = '/_stepflow/schedule-stats';

/**
 * The EventBridge Scheduler operations the stack uses, over restJson1, with the paths, query names and
 * error statuses of @aws-sdk/client-scheduler's model (https://docs.aws.amazon.com/scheduler/latest/APIReference/):
 * CreateSchedule `POST /schedules/{Name}`, GetSchedule `GET /schedules/{Name}?groupName=`, DeleteSchedule
 * `DELETE /schedules/{Name}?groupName=`, ListSchedules `GET /schedules?ScheduleGroup=&NamePrefix=&State=`.
 * Timestamps are epoch seconds; errors carry `x-amzn-errortype` and `{ Message }`.
 */
export async function startSchedulerServer(props: SchedulerServerProps): Promise<SchedulerServer> {
  const host = props.host ?? '127.0.0.1';
  const log = new CallLog(props.recordCalls);
  const server: Server = createServer((req, res) => void handle(props, log, req, res));
  const port = await listen(server, props.port ?? 0, host);
  return { url: `http://${host}:${port}`, port, calls: log.calls, failNext: (operation, fault) => log.failNext(operation, fault), close: () => close(server) };
}

type Operation = 'CreateSchedule' | 'GetSchedule' | 'DeleteSchedule' | 'ListSchedules';

async function handle({ service, stats }: SchedulerServerProps, log: CallLog, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  let call: { operation: Operation; input: Record<string, unknown> } | undefined;
  const reply = (status: number, body: { Message: string } | object, errorType?: string) => {
    if (call) log.record({ ...call, ...(errorType ? { error: { code: errorType, message: (body as { Message: string }).Message } } : { output: body }) });
    sendJson(res, status, body, { 'x-amzn-requestid': requestId, ...(errorType ? { 'x-amzn-errortype': errorType } : {}) });
  };
  try {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === STATS_PATH && req.method === 'GET' && stats) return reply(200, (await stats()) as object);
    const match = /^\/schedules(?:\/([^/]+))?\/?$/.exec(url.pathname);
    const name = match?.[1] !== undefined ? decodeURIComponent(match[1]) : undefined;
    const operation = match ? operationOf(req.method, name !== undefined) : undefined;
    if (!operation) return reply(404, { Message: `no operation for ${req.method} ${url.pathname}` }, 'ResourceNotFoundException');
    const query = Object.fromEntries(url.searchParams);
    call = { operation, input: operation === 'CreateSchedule' ? { ...(await jsonBody(req)), Name: name } : { ...query, ...(name !== undefined ? { Name: name } : {}) } };
    const fault = log.takeFault(operation);
    if (fault) return reply(fault.status, { Message: fault.message }, fault.code);
    switch (operation) {
      case 'CreateSchedule':
        return reply(200, { ScheduleArn: service.create(createInput(name!, call.input)) });
      case 'GetSchedule':
        return reply(200, wire(service.get(name!, query.groupName)));
      case 'DeleteSchedule':
        service.delete(name!, query.groupName);
        return reply(200, {});
      case 'ListSchedules':
        return reply(200, list(service, url.searchParams));
    }
  } catch (error) {
    if (error instanceof SchedulerError) return reply(error.status, { Message: error.message }, error.code);
    if (error instanceof BodyTooLarge) return reply(413, { Message: error.message }, 'ValidationException');
    if (error instanceof SyntaxError) return reply(400, { Message: 'request body is not JSON' }, 'ValidationException');
    reply(500, { Message: error instanceof Error ? error.message : String(error) }, 'InternalServerException');
  }
}

function operationOf(method: string | undefined, named: boolean): Operation | undefined {
  if (named) return method === 'POST' ? 'CreateSchedule' : method === 'GET' ? 'GetSchedule' : method === 'DELETE' ? 'DeleteSchedule' : undefined;
  return method === 'GET' ? 'ListSchedules' : undefined;
}

/** ListSchedules: filtered, and paged by MaxResults (1-100) and an opaque NextToken. */
function list(service: LocalSchedulerService, query: URLSearchParams): Record<string, unknown> {
  const all = service.list({ groupName: query.get('ScheduleGroup') ?? undefined, namePrefix: query.get('NamePrefix') ?? undefined, state: query.get('State') ?? undefined });
  const max = Math.min(100, Math.max(1, Number(query.get('MaxResults')) || 100));
  const offset = Number(Buffer.from(query.get('NextToken') ?? '', 'base64url').toString()) || 0;
  const next = offset + max < all.length ? Buffer.from(String(offset + max)).toString('base64url') : undefined;
  return {
    Schedules: all.slice(offset, offset + max).map((s) => ({
      Arn: s.Arn,
      Name: s.Name,
      GroupName: s.GroupName,
      State: s.State,
      CreationDate: seconds(s.CreationDate),
      LastModificationDate: seconds(s.LastModificationDate),
      Target: { Arn: s.Target.Arn },
    })),
    ...(next ? { NextToken: next } : {}),
  };
}

async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = (await readBody(req)).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function createInput(name: string, body: Record<string, unknown>): CreateScheduleInput {
  const date = (value: unknown) => (typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? new Date(value) : undefined);
  return {
    ...(body as unknown as CreateScheduleInput),
    Name: name,
    StartDate: date(body.StartDate),
    EndDate: date(body.EndDate),
  };
}

function wire(s: ScheduleDescription): Record<string, unknown> {
  return {
    Arn: s.Arn,
    GroupName: s.GroupName,
    Name: s.Name,
    ScheduleExpression: s.ScheduleExpression,
    ScheduleExpressionTimezone: s.ScheduleExpressionTimezone ?? 'UTC',
    State: s.State,
    Target: s.Target,
    FlexibleTimeWindow: s.FlexibleTimeWindow,
    CreationDate: seconds(s.CreationDate),
    LastModificationDate: seconds(s.LastModificationDate),
    ...(s.Description !== undefined ? { Description: s.Description } : {}),
    ...(s.StartDate ? { StartDate: seconds(s.StartDate) } : {}),
    ...(s.EndDate ? { EndDate: seconds(s.EndDate) } : {}),
    ...(s.ActionAfterCompletion ? { ActionAfterCompletion: s.ActionAfterCompletion } : {}),
  };
}

function seconds(date: Date): number {
  return new Date(date).getTime() / 1000;
}
