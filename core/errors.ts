import type { Diagnostic } from './definition/diagnostics.ts';

/**
 * Every error stepflow throws. Runtime errors are named for what the engine does with them: the name is
 * what Step Functions reports as the Lambda error's `Error`, and what ASL `ErrorEquals` matches, exactly
 * (no inheritance: https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html).
 * So every subclass sets its own `name`, and a subclass does not inherit its parent's retry behaviour.
 */
export class StepflowError extends Error {
  /**
   * Stable and machine-readable: what callers, logs and tests match on. Subclasses that leave it out
   * get their `name`, which is what Step Functions matches for runtime errors.
   */
  declare readonly code: string;

  constructor(message: string, options: StepflowErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StepflowError';
    if (options.code !== undefined) Object.defineProperty(this, 'code', { value: options.code, enumerable: true, writable: true });
  }
}

// `code` defaults to the name each subclass sets after `super()`, so it is read lazily from the prototype.
Object.defineProperty(StepflowError.prototype, 'code', {
  get(this: StepflowError) {
    return this.name;
  },
  set(this: StepflowError, value: string) {
    Object.defineProperty(this, 'code', { value, enumerable: true, writable: true });
  },
  configurable: true,
});

export interface StepflowErrorOptions {
  readonly cause?: unknown;
  /** @default the error's name */
  readonly code?: string;
}

// ---- runtime errors (thrown by task handlers, matched by ASL) ----

/**
 * The task must not be retried. The compiler puts a `NonRetriableError` retrier with `MaxAttempts: 0`
 * before every other retrier.
 */
export class NonRetriableError extends StepflowError {
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.name = 'NonRetriableError';
  }
}

/** A transient failure: the task's retry policy applies. */
export class RetryableError extends StepflowError {
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.name = 'RetryableError';
  }
}

/** An HTTP service answered 5xx, 408 or 429, could not be reached, or timed out: worth retrying. */
export class ServiceUnavailable extends StepflowError {
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.name = 'ServiceUnavailable';
  }
}

/**
 * An HTTP service answered 4xx (other than 408 and 429): retrying the same request cannot succeed.
 * Not a subclass of NonRetriableError on purpose: ASL matches the exact name, so the compiler lists
 * `ServiceRejected` next to `NonRetriableError` in the `MaxAttempts: 0` retrier.
 */
export class ServiceRejected extends StepflowError {
  /** HTTP status the service answered with. */
  readonly status: number;

  constructor(message: string, status: number, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.name = 'ServiceRejected';
    this.status = status;
  }
}

/** No declared definition and no `STEPFLOW_SERVICE_<NAME>_URL`: non-retriable, like ServiceRejected. */
/**
 * A service's circuit breaker is open: the call failed fast without reaching the service. Retriable: the
 * breaker lets trial calls through once its open period is over.
 */
export class CircuitOpen extends StepflowError {
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.name = 'CircuitOpen';
  }
}

export class ServiceNotFound extends StepflowError {
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.name = 'ServiceNotFound';
  }
}

/**
 * A service task's list of services (from the execution input) names a service that is neither declared
 * in the workflow nor configured by STEPFLOW_SERVICE_<NAME>_URL. Named with the stepflow prefix so a
 * Catch can tell it from the services' own errors.
 */
export class UnknownService extends StepflowError {
  /** The names that are not known. */
  readonly services: readonly string[];

  constructor(message: string, services: readonly string[], options?: { readonly cause?: unknown }) {
    super(message, options);
    this.name = 'stepflow.UnknownService';
    this.services = services;
  }
}

/**
 * Every error name that must never be retried: the compiler lists them in the first retrier of each
 * Task state, `{ ErrorEquals: NON_RETRIABLE_ERROR_NAMES, MaxAttempts: 0 }`.
 */
export const NON_RETRIABLE_ERROR_NAMES = ['NonRetriableError', 'ServiceRejected', 'ServiceNotFound'] as const;

/**
 * Settings are invalid: the runtime environment (env vars), raised once when the configuration is first
 * read, or a construct's props that contradict each other.
 */
export class ConfigurationError extends StepflowError {
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigurationError';
  }
}

// ---- build-time errors (definitions and plans) ----

/**
 * A definition with errors reached a step that needs a valid one (compiling, synthesizing). Carries
 * every diagnostic when they are known, so callers can print them as `stepflow validate` does.
 */
export class DefinitionError extends StepflowError {
  readonly diagnostics: readonly Diagnostic[];

  constructor(message: string, options: { readonly diagnostics?: readonly Diagnostic[]; readonly cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'DefinitionError';
    this.diagnostics = options.diagnostics ?? [];
  }
}

/**
 * A plan its backend cannot deploy or run as given: a placeholder no function fills, or functions that
 * disagree with the plan they serve.
 */
export class InvalidPlanError extends StepflowError {
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidPlanError';
  }
}

// ---- HTTP errors (the API maps them to responses) ----

export interface HttpErrorOptions {
  /** Machine-readable code in the response body; defaults to the class's code. */
  readonly code?: string;
  /** Extra structured information, e.g. every schema error. */
  readonly details?: unknown;
  /** Response headers, e.g. `Allow` for 405. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly cause?: unknown;
}

/** An error the API answers with its own status: `{ error: { code, message, details? } }`. */
export class HttpError extends StepflowError {
  readonly statusCode: number;
  declare readonly code: string;
  readonly details?: unknown;
  readonly headers: Readonly<Record<string, string>>;

  constructor(statusCode: number, defaultCode: string, message: string, options: HttpErrorOptions = {}) {
    super(message, { cause: options.cause, code: options.code ?? defaultCode });
    this.name = 'HttpError';
    this.statusCode = statusCode;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

export class BadRequest extends HttpError {
  constructor(message: string, options?: HttpErrorOptions) {
    super(400, 'bad_request', message, options);
    this.name = 'BadRequest';
  }
}

export class NotFound extends HttpError {
  constructor(message: string, options?: HttpErrorOptions) {
    super(404, 'not_found', message, options);
    this.name = 'NotFound';
  }
}

export class MethodNotAllowed extends HttpError {
  constructor(message: string, options?: HttpErrorOptions) {
    super(405, 'method_not_allowed', message, options);
    this.name = 'MethodNotAllowed';
  }
}

export class Conflict extends HttpError {
  constructor(message: string, options?: HttpErrorOptions) {
    super(409, 'conflict', message, options);
    this.name = 'Conflict';
  }
}

export class PayloadTooLarge extends HttpError {
  constructor(message: string, options?: HttpErrorOptions) {
    super(413, 'payload_too_large', message, options);
    this.name = 'PayloadTooLarge';
  }
}

/**
 * What a person should read of a failure's Cause. Step Functions reports a Lambda error's Cause as the
 * JSON envelope `{"errorType","errorMessage","trace"}`
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html); this returns its
 * `errorMessage` when it parses, else the raw string.
 */
export function normaliseCause(cause: unknown): string | undefined {
  if (cause === undefined || cause === null) return undefined;
  if (typeof cause !== 'string') return JSON.stringify(cause);
  try {
    const parsed: unknown = JSON.parse(cause);
    if (parsed && typeof parsed === 'object' && typeof (parsed as { errorMessage?: unknown }).errorMessage === 'string') {
      return (parsed as { errorMessage: string }).errorMessage;
    }
  } catch {
    // not JSON: the cause is plain text
  }
  return cause;
}
