import type { HandlerRef } from '../../core/definition/model.ts';
import type { LambdaHandler } from './handler-loader.ts';

/** The in-process "function" of pooled tasks' `sqs:sendMessage.waitForTaskToken` states. */
export const POOL_SENDER: HandlerRef = { file: 'stepflow:pool-sender', exportName: 'send' };

/**
 * Receives the state's Parameters `{ QueueUrl, MessageBody }` (the QueueUrl still names the lane's
 * placeholder, made a function ARN by prepare-asl) and hands the body to the offline pools.
 */
export function poolSenderHandler(send: ((placeholder: string, messageBody: unknown) => Promise<void>) | undefined): LambdaHandler {
  return async (event) => {
    const { QueueUrl, MessageBody } = (event ?? {}) as { QueueUrl?: string; MessageBody?: unknown };
    const placeholder = /(PoolQueue_[A-Za-z0-9_]+)$/.exec(String(QueueUrl ?? ''))?.[1];
    if (!send) throw Object.assign(new Error(`no offline pool runs ${placeholder ?? 'this pooled task'}: run it under the dev stack (npm start) or stepflow run`), { name: 'PoolUnavailable' });
    if (!placeholder) throw new Error(`pooled task's QueueUrl ${QueueUrl} names no pool lane`);
    await send(placeholder, MessageBody);
    return null;
  };
}
