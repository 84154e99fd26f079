import * as z from 'zod';
import { BadRequest, HttpError, NotFound } from '../../../core/errors.ts';
import type { ApiDeps } from '../deps.ts';
import { parseRequest } from '../request.ts';
import type { ApiResult } from '../response.ts';

/** Task tokens are opaque; Step Functions' are at most 1024 characters (API_SendTaskSuccess.html). */
export const callbackPath = z.strictObject({ token: z.string().min(1).max(1024) });

/**
 * The answer to a callback task: its output, or an error (Step Functions error names are at most 256
 * characters, causes 32768: https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskFailure.html).
 */
export const callbackAnswer = z.union([
  z.strictObject({ output: z.unknown() }),
  z.strictObject({ error: z.string().min(1).max(256), cause: z.string().max(32_768).optional() }),
]);

/** `POST /callbacks/{token}`: `{ output }` ends the waiting task with that output, `{ error, cause }` fails it. */
export async function answerCallback(deps: ApiDeps, token: string, body: unknown): Promise<ApiResult> {
  const answers = tokensOf(deps);
  const answer = parseRequest(callbackAnswer, body ?? {}, 'body');
  await mapped(async () => {
    if ('output' in answer) await answers.succeed(token, JSON.stringify(answer.output ?? null));
    else await answers.fail(token, answer.error, answer.cause);
  });
  return { statusCode: 200, body: { token, answer: 'output' in answer ? 'succeeded' : 'failed' } };
}

/** `POST /callbacks/{token}/heartbeat`: the task is still being worked on (restarts its heartbeat wait). */
export async function callbackHeartbeat(deps: ApiDeps, token: string): Promise<ApiResult> {
  const answers = tokensOf(deps);
  await mapped(() => answers.heartbeat(token));
  return { statusCode: 200, body: { token, heartbeat: 'recorded' } };
}

function tokensOf(deps: ApiDeps) {
  if (!deps.taskTokens) throw new HttpError(501, 'not_implemented', 'callbacks are not configured on this API');
  return deps.taskTokens;
}

/** Step Functions' answers as 4xx: an unknown token 404, one whose task ended 410, bad output 400. */
async function mapped(call: () => Promise<void>): Promise<void> {
  try {
    await call();
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TaskDoesNotExist' || name === 'InvalidToken') throw new NotFound('no task waits for this token', { code: 'unknown_token' });
    if (name === 'TaskTimedOut') throw new HttpError(410, 'token_expired', 'the task of this token has ended (timed out, failed or answered)');
    if (name === 'InvalidOutput') throw new BadRequest(`output refused: ${(error as Error).message}`, { code: 'invalid_output' });
    throw error;
  }
}
