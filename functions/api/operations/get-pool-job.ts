import type { JobView } from '../../../core/contracts/pool-api.ts';
import { NotFound } from '../../../core/errors.ts';
import type { ApiResult } from '../response.ts';
import { poolsOf, requirePool, type PoolsDeps } from './pool-deps.ts';

/** `GET /pools/{name}/jobs/{jobId}`: the job's record. */
export async function getPoolJob(deps: { readonly pools?: PoolsDeps }, poolName: string, jobId: string): Promise<ApiResult> {
  const pools = poolsOf(deps);
  requirePool(pools, poolName);
  const record = await pools.jobs.get(poolName, jobId);
  if (!record) throw new NotFound(`pool "${poolName}" has no job "${jobId}"`, { code: 'unknown_job' });
  const view: JobView = record;
  return { statusCode: 200, body: view };
}
