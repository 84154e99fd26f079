import type { SQSClient } from '@aws-sdk/client-sqs';
import { HttpError, NotFound } from '../../../core/errors.ts';
import type { JobStore } from '../../pools/job-store.ts';
import type { PoolControl } from '../../pools/pool-control.ts';

/** What the pool routes use: each pool's control, the job records and SQS. */
export interface PoolsDeps {
  readonly controls: Readonly<Record<string, PoolControl>>;
  readonly jobs: JobStore;
  readonly sqs: SQSClient;
  /** @default Date.now */
  readonly now?: () => number;
}

/** An API built without pools serves none: every pool name is unknown (404), the list is empty. */
const NO_POOLS: PoolsDeps = {
  controls: {},
  jobs: { create: unavailable, claim: unavailable, settle: unavailable, progress: unavailable, get: unavailable },
  sqs: undefined as never,
};

async function unavailable(): Promise<never> {
  throw new HttpError(501, 'not_implemented', 'pools are not configured on this API');
}

/** The pools dependencies; without them, no pool (each route answers 404 `unknown_pool`). */
export function poolsOf(deps: { readonly pools?: PoolsDeps }): PoolsDeps {
  return deps.pools ?? NO_POOLS;
}

export function requirePool(pools: PoolsDeps, name: string): PoolControl {
  const control = Object.hasOwn(pools.controls, name) ? pools.controls[name] : undefined;
  if (!control) throw new NotFound(`no pool "${name}"; pools: ${Object.keys(pools.controls).join(', ') || 'none'}`, { code: 'unknown_pool' });
  return control;
}

/** The runtime, or 501 where nothing can pause or scale this pool's workers. */
export function runtimeOf(control: PoolControl, what: string) {
  if (!control.runtime) throw new HttpError(501, 'not_implemented', `this API cannot ${what} pool "${control.definition().name}"`);
  return control.runtime;
}
