import { ServiceRejected, ServiceUnavailable } from '../../core/errors.ts';

/** Statuses worth retrying although they are 4xx (https://www.rfc-editor.org/rfc/rfc9110#name-408-request-timeout, RFC 6585 §4). */
const RETRIABLE_CLIENT_STATUSES = new Set([408, 429]);
/** How much of an error response body goes into the error message. */
const BODY_EXCERPT = 500;

export interface HttpCall {
  readonly url: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly timeoutMs: number;
  /** How the service is named in errors. */
  readonly label: string;
  /** Ends the call early (a scatter-gather that no longer needs it). */
  readonly signal?: AbortSignal;
  /** `signal` also fires at `timeoutMs` (the caller's timeout policy owns the timer), so no second timer is set. */
  readonly timedBySignal?: boolean;
}

/**
 * One HTTP call to a service; returns its JSON answer (or `{ status, body }` when it is not JSON).
 * Failures are named for what the engine does with them: 5xx, 408, 429, network errors and timeouts →
 * ServiceUnavailable (retried); other 4xx → ServiceRejected (not retried).
 */
export async function callHttp(call: HttpCall, doFetch: typeof fetch = globalThis.fetch): Promise<unknown> {
  const hasBody = call.method !== 'GET';
  const timeout = call.timedBySignal && call.signal ? call.signal : AbortSignal.timeout(call.timeoutMs);
  let response: Response;
  let text: string;
  try {
    response = await doFetch(call.url, {
      method: call.method,
      headers: { accept: 'application/json', ...(hasBody ? { 'content-type': 'application/json' } : {}), ...call.headers },
      body: hasBody ? JSON.stringify(call.body) : undefined,
      signal: call.signal && call.signal !== timeout ? AbortSignal.any([timeout, call.signal]) : timeout,
    });
    text = await response.text();
  } catch (error) {
    const name = (error as Error).name;
    const reason = timeout.aborted || name === 'TimeoutError' ? `timed out after ${call.timeoutMs / 1000}s` : call.signal?.aborted ? 'cancelled' : `unreachable: ${(error as Error).message}`;
    throw new ServiceUnavailable(`${call.label} ${reason}`, { cause: error });
  }
  if (response.status >= 500 || RETRIABLE_CLIENT_STATUSES.has(response.status)) {
    throw new ServiceUnavailable(`${call.label} answered ${response.status}: ${text.slice(0, BODY_EXCERPT)}`);
  }
  if (response.status < 200 || response.status >= 300) {
    throw new ServiceRejected(`${call.label} answered ${response.status}: ${text.slice(0, BODY_EXCERPT)}`, response.status);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { status: response.status, body: text };
  }
}
