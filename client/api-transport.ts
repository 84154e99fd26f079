import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { StepflowApiError } from './errors.ts';
import { regionOfApiHost, sigV4Signer, type OutgoingRequest } from './sigv4.ts';

export const DEFAULT_API_URL = 'http://127.0.0.1:3000';

/** How a client reaches the stepflow API (WorkflowEngine, the schedulers). */
export interface ApiClientOptions {
  /** @default process.env.STEPFLOW_API_URL, else 'http://127.0.0.1:3000' (the offline stack) */
  readonly baseUrl?: string;
  /** `auto` signs requests to `*.amazonaws.com` with SigV4 and no others. @default 'auto' */
  readonly signing?: 'auto' | 'sigv4' | 'none';
  /** @default the region in the API's hostname, else AWS_REGION, else 'us-east-1' */
  readonly region?: string;
  /** @default the SDK's default credential chain */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/**
 * JSON requests to the stepflow API, SigV4-signed for API Gateway with IAM auth; error answers become
 * StepflowApiError (API Gateway's own `{ message }` errors, e.g. a 403 from IAM auth, too).
 */
export class ApiTransport {
  private readonly baseUrl: URL;
  private readonly doFetch: typeof fetch;
  private readonly sign?: (request: OutgoingRequest) => Promise<Record<string, string>>;

  constructor(options: ApiClientOptions = {}) {
    const base = options.baseUrl ?? process.env.STEPFLOW_API_URL ?? DEFAULT_API_URL;
    this.baseUrl = new URL(base.endsWith('/') ? base : `${base}/`);
    this.doFetch = options.fetch ?? globalThis.fetch;
    const signing = options.signing ?? 'auto';
    if (signing === 'sigv4' || (signing === 'auto' && /\.amazonaws\.com(\.cn)?$/.test(this.baseUrl.hostname))) {
      const region = options.region ?? regionOfApiHost(this.baseUrl.hostname) ?? process.env.AWS_REGION ?? 'us-east-1';
      this.sign = sigV4Signer({ region, credentials: options.credentials });
    }
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = new URL(path, this.baseUrl);
    const text = body === undefined ? undefined : JSON.stringify(body);
    let headers: Record<string, string> = { accept: 'application/json', ...(text !== undefined ? { 'content-type': 'application/json' } : {}) };
    if (this.sign) headers = await this.sign({ method, url, headers, body: text });
    const response = await this.doFetch(url, { method, headers, body: text });
    const raw = await response.text();
    let parsed: unknown;
    try {
      parsed = raw ? JSON.parse(raw) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const error = (parsed as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
      const message = error?.message ?? (parsed as { message?: string } | undefined)?.message ?? (raw || response.statusText);
      throw new StepflowApiError(response.status, error?.code ?? `http_${response.status}`, message, error?.details);
    }
    return parsed as T;
  }
}

export function enc(segment: string): string {
  return encodeURIComponent(segment);
}
