import type { Context } from 'aws-lambda';
import { LOCAL_ACCOUNT } from './arn.ts';

export interface LambdaContextProps {
  readonly functionName: string;
  readonly requestId: string;
  readonly region: string;
  /** Time left for the invocation is measured against this deadline (epoch ms). */
  readonly deadline: number;
  readonly now: () => number;
  /** @default 128 */
  readonly memoryMb?: number;
}

/** The `context` a Lambda handler receives, enough for middy and Powertools-style code. */
export function createLambdaContext(props: LambdaContextProps): Context {
  const memory = props.memoryMb ?? 128;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: props.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${props.region}:${LOCAL_ACCOUNT}:function:${props.functionName}`,
    memoryLimitInMB: String(memory),
    awsRequestId: props.requestId,
    logGroupName: `/aws/lambda/${props.functionName}`,
    logStreamName: 'local',
    // Whole milliseconds, as Lambda counts them; the clock may carry a fraction.
    getRemainingTimeInMillis: () => Math.max(0, Math.floor(props.deadline - props.now())),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
