import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DEFAULT_API_URL = 'http://127.0.0.1:3000';

/**
 * The API of the running dev stack: `--url`, else the one the stack started from this folder wrote to
 * `<data-dir>/endpoints.json` (whatever port it took), else the default port.
 */
export function runningApiUrl(url: string | undefined, dataDir: string): string {
  if (url) return url.replace(/\/+$/, '');
  try {
    const endpoints = JSON.parse(readFileSync(join(dataDir, 'endpoints.json'), 'utf8')) as Record<string, string>;
    if (endpoints.api) return endpoints.api.replace(/\/+$/, '');
  } catch {
    /* no stack started from this folder */
  }
  return DEFAULT_API_URL;
}

/** GET a JSON document of the API; `undefined` on 404, a readable error otherwise. */
export async function getJson<T>(url: string): Promise<T | undefined> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new StackUnreachable(`no running dev stack answers at ${new URL(url).origin} (start one with "stepflow dev"): ${(error as Error).message}`);
  }
  if (response.status === 404) return undefined;
  const body = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
  if (!response.ok) throw new Error(`${response.status} from ${url}: ${body.error?.message ?? response.statusText}`);
  return body as T;
}

export class StackUnreachable extends Error {
  override readonly name = 'StackUnreachable';
}
