import { z } from 'zod';
import type { ApiDeps } from './deps.ts';
import { getPool, listPools } from './operations/get-pool.ts';
import { getPoolJob } from './operations/get-pool-job.ts';
import { pausePool, redrivePool, resumePool, scalePool } from './operations/pool-admin.ts';
import { submitPoolJob } from './operations/submit-pool-job.ts';
import { parseRequest } from './request.ts';
import type { ApiRoute } from './router.ts';

const poolPath = z.object({ name: z.string().min(1).max(32) });
const jobPath = z.object({ name: z.string().min(1).max(32), jobId: z.string().min(1).max(64) });

/** The pool routes: jobs in, their records out, and the pools' queues and workers. */
export function poolRoutes(deps: ApiDeps): readonly ApiRoute[] {
  const pool = (event: { pathParameters: unknown }) => parseRequest(poolPath, event.pathParameters, 'path').name;
  return [
    { method: 'GET', path: '/pools', run: () => listPools(deps) },
    { method: 'GET', path: '/pools/{name}', run: (event) => getPool(deps, pool(event)) },
    { method: 'POST', path: '/pools/{name}/jobs', run: (event) => submitPoolJob(deps, pool(event), event.body) },
    {
      method: 'GET',
      path: '/pools/{name}/jobs/{jobId}',
      run: (event) => {
        const { name, jobId } = parseRequest(jobPath, event.pathParameters, 'path');
        return getPoolJob(deps, name, jobId);
      },
    },
    { method: 'POST', path: '/pools/{name}/dlq/redrive', run: (event) => redrivePool(deps, pool(event)) },
    { method: 'POST', path: '/pools/{name}/pause', run: (event) => pausePool(deps, pool(event)) },
    { method: 'POST', path: '/pools/{name}/resume', run: (event) => resumePool(deps, pool(event)) },
    { method: 'PUT', path: '/pools/{name}/scale', run: (event) => scalePool(deps, pool(event), event.body) },
  ];
}
