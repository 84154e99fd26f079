import type { ServiceTaskEvent } from '../../core/contracts/task-event.ts';
import { NonRetriableError, ServiceRejected, ServiceUnavailable } from '../../core/errors.ts';
import * as z from 'zod/mini';
import { taskEventSchema } from '../../core/contracts/task-event.ts';
import { resolveService, type Env } from './resolve-service.ts';
import { lambdaEntry } from '../shared/lambda-entry.ts';

export interface ServiceInvokerDeps {
  /** @default process.env */
  readonly env?: Env;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

const serviceTaskEventSchema = z.extend(taskEventSchema, {
  /** A callback task's token: sent with the event, answered through POST /callbacks/{token}. */
  token: z.optional(z.string()),
  service: z.object({
    name: z.string().check(z.minLength(1)),
    definition: z.optional(
      z.object({
        name: z.string(),
        url: z.string().check(z.minLength(1)),
        method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
        headers: z.record(z.string(), z.string()),
        timeoutSeconds: z.number().check(z.positive()),
      }),
    ),
  }),
});

/** Statuses worth retrying although they are 4xx (https://www.rfc-editor.org/rfc/rfc9110#name-408-request-timeout, RFC 6585 §4). */
const RETRIABLE_CLIENT_STATUSES = new Set([408, 429]);
/** How much of an error response body goes into the error message. */
const BODY_EXCERPT = 500;

/**
 * Calls the HTTP service of a `type: service` task and returns its JSON answer (or `{ status, body }`
 * when it is not JSON). Failures are named for what the engine does with them: 5xx, 408, 429, network
 * errors and timeouts → ServiceUnavailable (retried); other 4xx → ServiceRejected (not retried).
 */
export function createServiceInvoker(deps: ServiceInvokerDeps = {}) {
  return async (event: unknown): Promise<unknown> => {
    const parsed = serviceTaskEventSchema.safeParse(event);
    if (!parsed.success) {
      throw new NonRetriableError(`invalid service task event: ${parsed.error.message}`, { cause: parsed.error });
    }
    const { service, task, workflow, execution, input, results, token } = parsed.data as ServiceTaskEvent & { token?: string };
    const resolved = resolveService(service, deps.env ?? process.env);
    const doFetch = deps.fetch ?? globalThis.fetch;
    const hasBody = resolved.method !== 'GET';
    const label = `service "${service.name}" (${resolved.method} ${resolved.url})`;

    let response: Response;
    let text: string;
    try {
      response = await doFetch(resolved.url, {
        method: resolved.method,
        headers: { accept: 'application/json', ...(hasBody ? { 'content-type': 'application/json' } : {}), ...resolved.headers },
        body: hasBody ? JSON.stringify({ task, workflow, execution, input, results, ...(token !== undefined ? { token } : {}) }) : undefined,
        signal: AbortSignal.timeout(resolved.timeoutSeconds * 1000),
      });
      text = await response.text();
    } catch (error) {
      const reason = (error as Error).name === 'TimeoutError' ? `timed out after ${resolved.timeoutSeconds}s` : `unreachable: ${(error as Error).message}`;
      throw new ServiceUnavailable(`${label} ${reason}`, { cause: error });
    }

    if (response.status >= 500 || RETRIABLE_CLIENT_STATUSES.has(response.status)) {
      throw new ServiceUnavailable(`${label} answered ${response.status}: ${text.slice(0, BODY_EXCERPT)}`);
    }
    if (response.status < 200 || response.status >= 300) {
      throw new ServiceRejected(`${label} answered ${response.status}: ${text.slice(0, BODY_EXCERPT)}`, response.status);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return { status: response.status, body: text };
    }
  };
}

/** The Lambda entry point behind every service task (SERVICE_INVOKER_PLACEHOLDER). */
export const handler = lambdaEntry(createServiceInvoker());
