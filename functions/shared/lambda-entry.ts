import type { Context } from 'aws-lambda';
import type { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';

/** Whether this process is a Lambda function (the runtime sets AWS_LAMBDA_FUNCTION_NAME). */
export function runningInLambda(env: NodeJS.ProcessEnv = process.env): boolean {
  return !!env.AWS_LAMBDA_FUNCTION_NAME;
}

// Powertools (and the X-Ray SDK under its tracer) loads only in Lambda: offline processes — the dev stack,
// the CLI, restarts after a crash — skip its import time. esbuild still bundles the module (a literal path).
const powertools = runningInLambda() ? await import('./powertools.ts') : undefined;

type Handler<E, R> = (event: E, context: Context) => Promise<R>;

/** `handler` through the Powertools middy chain (`withPowertools`) in Lambda; unchanged offline and in tests. */
export function lambdaEntry<E, R>(handler: Handler<E, R>): (event: E, context?: Context) => Promise<R> {
  return powertools ? powertools.withPowertools(handler) : (handler as (event: E, context?: Context) => Promise<R>);
}

/** The Powertools Logger the shared logger writes through in Lambda; undefined offline. */
export function lambdaLogger(): PowertoolsLogger | undefined {
  return powertools?.powertoolsLogger();
}

/** Traces an AWS SDK v3 client in Lambda (X-Ray subsegments per call); offline the client is returned as is. */
export function traceAwsClient<T>(client: T): T {
  return powertools ? powertools.powertoolsTracer().captureAWSv3Client(client) : client;
}
