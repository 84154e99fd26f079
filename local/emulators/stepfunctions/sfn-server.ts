import type { ExecutionDescription } from '../../engine/execution.ts';
import type { HistoryEvent } from '../../engine/execution-history.ts';
import type { ExecutionStatus } from '../../../core/contracts/execution-status.ts';
import { workflowOfStateMachineArn } from '../../engine/arn.ts';
import { EngineError, StateMachineDoesNotExist } from '../../engine/errors.ts';
import type { LocalEngine } from '../../engine/local-engine.ts';
import { startAwsJsonServer } from '../private/aws-json-server.ts';
import type { EmulatorControls } from '../private/call-log.ts';
import { StepFunctionsError } from './step-functions-error.ts';

export interface SfnServerProps {
  readonly engine: LocalEngine;
  /** @default 0 (a free port) */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** Keep every call in `calls` (tests). @default false */
  readonly recordCalls?: boolean;
}

export interface SfnServer extends EmulatorControls {
  /** `http://127.0.0.1:<port>`, the value for AWS_ENDPOINT_URL_SFN. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const TARGET_PREFIX = 'AWSStepFunctions.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';

type Operation = (engine: LocalEngine, request: Record<string, unknown>) => Promise<unknown> | unknown;

/**
 * The Step Functions API operations the stack uses, over the awsJson1_0 protocol, backed by a
 * LocalEngine (https://docs.aws.amazon.com/step-functions/latest/apireference/API_Operations.html).
 * Timestamps are epoch seconds, as the protocol encodes them.
 */
const operations: Record<string, Operation> = {
  async StartExecution(engine, request) {
    const workflow = workflowOf(engine, requiredString(request, 'stateMachineArn'));
    const input = executionInput(request);
    const execution = await engine.start(workflow, input, { name: optionalString(request, 'name') });
    return { executionArn: execution.executionArn, startDate: seconds(execution.startDate) };
  },

  /** Express only; runs the execution to its end (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartSyncExecution.html). */
  async StartSyncExecution(engine, request) {
    const arn = requiredString(request, 'stateMachineArn');
    const workflow = workflowOf(engine, arn);
    if (engine.workflows().find((w) => w.name === workflow)?.mode !== 'EXPRESS') {
      throw new StepFunctionsError('StateMachineTypeNotSupported', `This operation is not supported by this type of state machine: '${arn}'`);
    }
    const input = executionInput(request);
    const started = await engine.start(workflow, input, { name: optionalString(request, 'name') });
    const { stateMachineArn: _machine, ...ended } = describe(await engine.wait(started.executionArn));
    return { ...ended, stateMachineArn: arn };
  },

  DescribeExecution(engine, request) {
    return describe(engine.describe(requiredString(request, 'executionArn')));
  },

  async StopExecution(engine, request) {
    const stopped = await engine.stop(requiredString(request, 'executionArn'), {
      error: optionalString(request, 'error'),
      cause: optionalString(request, 'cause'),
    });
    return { stopDate: seconds(stopped.stopDate ?? new Date(engine.clock.now())) };
  },

  ListExecutions(engine, request) {
    const workflow = workflowOf(engine, requiredString(request, 'stateMachineArn'));
    const status = optionalString(request, 'statusFilter') as ExecutionStatus | undefined;
    const all = engine.list({ workflow, status });
    const { items, nextToken } = page(all, request);
    return {
      executions: items.map(summary),
      ...(nextToken ? { nextToken } : {}),
    };
  },

  // Callbacks of `.waitForTaskToken` states (https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html).
  SendTaskSuccess(engine, request) {
    engine.sendTaskSuccess(requiredString(request, 'taskToken'), requiredString(request, 'output'));
    return {};
  },

  SendTaskFailure(engine, request) {
    engine.sendTaskFailure(requiredString(request, 'taskToken'), optionalString(request, 'error'), optionalString(request, 'cause'));
    return {};
  },

  SendTaskHeartbeat(engine, request) {
    engine.sendTaskHeartbeat(requiredString(request, 'taskToken'));
    return {};
  },

  async GetExecutionHistory(engine, request) {
    const events = [...(await engine.history(requiredString(request, 'executionArn')))];
    if (request.reverseOrder === true) events.reverse();
    const withData = request.includeExecutionData !== false;
    const { items, nextToken } = page(events, request);
    return { events: items.map((e) => historyEvent(e, withData)), ...(nextToken ? { nextToken } : {}) };
  },

  ListStateMachines(engine, request) {
    const { items, nextToken } = page(engine.workflows(), request);
    return {
      stateMachines: items.map((w) => ({ stateMachineArn: w.stateMachineArn, name: w.name, type: w.mode, creationDate: seconds(w.creationDate) })),
      ...(nextToken ? { nextToken } : {}),
    };
  },

  DescribeStateMachine(engine, request) {
    const arn = requiredString(request, 'stateMachineArn');
    const workflow = engine.workflows().find((w) => w.stateMachineArn === arn);
    if (!workflow) throw new StateMachineDoesNotExist(arn);
    return {
      stateMachineArn: workflow.stateMachineArn,
      name: workflow.name,
      status: 'ACTIVE',
      definition: JSON.stringify(workflow.plan.asl),
      roleArn: 'arn:aws:iam::000000000000:role/stepflow-local',
      type: workflow.mode,
      creationDate: seconds(workflow.creationDate),
    };
  },
};

/** Starts the server on 127.0.0.1. */
export function startSfnServer(props: SfnServerProps): Promise<SfnServer> {
  return startAwsJsonServer({
    targetPrefix: TARGET_PREFIX,
    contentType: CONTENT_TYPE,
    backend: props.engine,
    operations,
    clientErrorCode: (error) => (error instanceof StepFunctionsError ? error.code : error instanceof EngineError ? error.name : undefined),
    internalErrorCode: 'InternalServerError',
    port: props.port,
    host: props.host,
    recordCalls: props.recordCalls,
  });
}

/** An execution as ListExecutions lists it. */
function summary(e: ExecutionDescription): Record<string, unknown> {
  return {
    executionArn: e.executionArn,
    stateMachineArn: e.stateMachineArn,
    name: e.name,
    status: e.status,
    startDate: seconds(e.startDate),
    ...(e.stopDate ? { stopDate: seconds(e.stopDate) } : {}),
  };
}

/** An execution as DescribeExecution describes it: its summary, input, output and error. */
function describe(e: ExecutionDescription): Record<string, unknown> {
  return {
    ...summary(e),
    input: e.input,
    inputDetails: { included: true },
    ...(e.output !== undefined ? { output: e.output, outputDetails: { included: true } } : {}),
    ...(e.error !== undefined ? { error: e.error } : {}),
    ...(e.cause !== undefined ? { cause: e.cause } : {}),
  };
}

/** An event on the wire: epoch seconds, and without inputs and outputs when includeExecutionData is false. */
function historyEvent(event: HistoryEvent, withData: boolean): Record<string, unknown> {
  const wire: Record<string, unknown> = { ...event, timestamp: seconds(event.timestamp) };
  if (withData) return wire;
  for (const [key, value] of Object.entries(wire)) {
    if (!key.endsWith('EventDetails') || typeof value !== 'object' || value === null) continue;
    const { input: _input, output: _output, ...rest } = value as Record<string, unknown>;
    wire[key] = rest;
  }
  return wire;
}

function workflowOf(engine: LocalEngine, arn: string): string {
  const workflow = workflowOfStateMachineArn(arn);
  if (!workflow) throw new StepFunctionsError('InvalidArn', `Invalid Arn: '${arn}'`);
  if (!engine.workflows().some((w) => w.name === workflow)) throw new StateMachineDoesNotExist(arn);
  return workflow;
}

/** maxResults (1-1000, default 100) and an opaque nextToken, as the List operations page. */
function page<T>(items: readonly T[], request: Record<string, unknown>): { items: T[]; nextToken?: string } {
  const max = typeof request.maxResults === 'number' && request.maxResults > 0 ? Math.min(request.maxResults, 1000) : 100;
  const offset = typeof request.nextToken === 'string' ? Number(Buffer.from(request.nextToken, 'base64url').toString()) || 0 : 0;
  const slice = items.slice(offset, offset + max);
  const next = offset + max < items.length ? Buffer.from(String(offset + max)).toString('base64url') : undefined;
  return { items: slice, nextToken: next };
}

function executionInput(request: Record<string, unknown>): unknown {
  if (request.input === undefined) return {};
  try {
    return JSON.parse(String(request.input));
  } catch (error) {
    throw new StepFunctionsError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${(error as Error).message}'`);
  }
}

function requiredString(request: Record<string, unknown>, field: string): string {
  const value = request[field];
  if (typeof value !== 'string' || value === '') throw new StepFunctionsError('ValidationException', `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must not be null`);
  return value;
}

function optionalString(request: Record<string, unknown>, field: string): string | undefined {
  const value = request[field];
  return typeof value === 'string' ? value : undefined;
}

function seconds(date: Date): number {
  return date.getTime() / 1000;
}
