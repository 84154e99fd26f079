import { NotFound } from '../../../core/errors.ts';
import { serviceSummaries, serviceView } from '../../orchestration/service-views.ts';
import type { ApiDeps } from '../deps.ts';
import { parseRequest } from '../request.ts';
import type { ApiResult } from '../response.ts';
import { servicePath, servicesOf } from './service-instances.ts';

/** `GET /services` → `{ services: [{ name, instances, healthy, breaker, metrics }] }`. */
export async function listServices(deps: ApiDeps): Promise<ApiResult> {
  return { statusCode: 200, body: { services: await serviceSummaries(servicesOf(deps)) } };
}

/** `GET /services/{name}` → instances (health, weight, calls in flight), breaker and metrics; 404 for a service never registered nor called. */
export async function getService(deps: ApiDeps, path: unknown): Promise<ApiResult> {
  const services = servicesOf(deps);
  const { name } = parseRequest(servicePath, path, 'path');
  if (!(await services.store.listServices()).includes(name)) throw new NotFound(`service "${name}" was never registered nor called`, { code: 'unknown_service' });
  return { statusCode: 200, body: await serviceView(services, name) };
}
