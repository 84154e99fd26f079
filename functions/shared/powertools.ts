import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';


const serviceName = () => process.env.POWERTOOLS_SERVICE_NAME ?? process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'stepflow';

let logger: Logger | undefined;
let metrics: Metrics | undefined;
let tracer: Tracer | undefined;

/** One Powertools Logger per process: JSON lines with the Lambda context and the keys the middlewares append. */
export function powertoolsLogger(): Logger {
  logger ??= new Logger({ serviceName: serviceName(), logLevel: (process.env.POWERTOOLS_LOG_LEVEL ?? 'INFO') as 'INFO' });
  return logger;
}

/** Metrics in CloudWatch embedded metric format (namespace `stepflow`), flushed by `withPowertools`. */
export function powertoolsMetrics(): Metrics {
  metrics ??= new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'stepflow', serviceName: serviceName() });
  return metrics;
}

/** X-Ray tracer (on in Lambda); AWS SDK clients are captured by `traceAwsClient` (lambda-entry.ts). */
export function powertoolsTracer(): Tracer {
  tracer ??= new Tracer({ serviceName: serviceName(), enabled: !!process.env.AWS_LAMBDA_FUNCTION_NAME });
  return tracer;
}


/** The ids a task event carries: `execution` is `$$.Execution.Id` (core/compiler/states/task.ts). */
function taskIds(event: unknown): Record<string, string> {
  if (!event || typeof event !== 'object') return {};
  const { execution, task, workflow } = event as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries({ executionId: execution, task, workflow }).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

/** Writes the stored metrics as one EMF line; nothing (not even Powertools' warning) when there are none. */
function flushMetrics(): void {
  const m = powertoolsMetrics();
  if (m.hasStoredMetrics()) m.publishStoredMetrics();
}

/**
 * Appends the execution and task ids of a task event to every log line of the invocation, and counts tasks
 * that succeeded and failed per workflow.
 */
function taskContext(): MiddlewareObj {
  const count = (name: string, ids: Record<string, string>) => {
    if (!ids.workflow) return;
    const m = powertoolsMetrics();
    m.addDimension('workflow', ids.workflow);
    m.addMetric(name, MetricUnit.Count, 1);
  };
  return {
    before: (request) => {
      powertoolsLogger().appendKeys(taskIds(request.event));
    },
    after: (request) => {
      count('TaskSucceeded', taskIds(request.event));
      flushMetrics();
    },
    onError: (request) => {
      count('TaskFailed', taskIds(request.event));
      flushMetrics();
    },
  };
}

/**
 * A Lambda entry point with Powertools: the Lambda context and, for task events, the execution and task ids
 * on every log line (the shared `jsonLogger` writes through the same Logger in Lambda), metrics flushed as
 * EMF at the end, and the invocation traced.
 */
export function withPowertools<E, R>(handler: (event: E, context: Context) => Promise<R>): (event: E, context?: Context) => Promise<R> {
  const chain = middy(handler)
    .use(captureLambdaHandler(powertoolsTracer(), { captureResponse: false }))
    .use(injectLambdaContext(powertoolsLogger(), { resetKeys: true }))
    .use(taskContext());
  return (event, context) => chain(event, context ?? ({} as Context)) as Promise<R>;
}
