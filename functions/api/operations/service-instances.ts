import { z } from 'zod';
import { HttpError, NotFound } from '../../../core/errors.ts';
import type { ServicesDeps } from '../../orchestration/service-views.ts';
import type { ApiDeps } from '../deps.ts';
import { parseRequest } from '../request.ts';
import type { ApiResult } from '../response.ts';

/** Service and instance names: they become key parts and URL path segments. */
const NAME = /^[A-Za-z0-9_.:-]{1,128}$/;
export const serviceInstancePath = z.object({
  name: z.string().regex(NAME, 'service name must be 1-128 letters, digits, ".", ":", "-" or "_"'),
  id: z.string().regex(NAME, 'instance id must be 1-128 letters, digits, ".", ":", "-" or "_"'),
});
export const servicePath = serviceInstancePath.pick({ name: true });

export const registerInstanceBody = z.object({
  url: z.string().url('url must be an absolute URL').refine((u) => /^https?:\/\//.test(u), 'url must be http or https'),
  weight: z.number().int('weight must be a whole number').min(0).max(1000).optional(),
  metadata: z.record(z.string(), z.string()).optional(),
}).strict();

export function servicesOf(deps: ApiDeps): ServicesDeps {
  if (!deps.services) throw new HttpError(501, 'not_implemented', 'service orchestration is not configured on this API');
  return deps.services;
}

/** `PUT /services/{name}/instances/{id}` `{ url, weight?, metadata? }`: registers the instance or renews its heartbeat. */
export async function putServiceInstance(deps: ApiDeps, path: unknown, body: unknown): Promise<ApiResult> {
  const services = servicesOf(deps);
  const { name, id } = parseRequest(serviceInstancePath, path, 'path');
  const { url, weight, metadata } = parseRequest(registerInstanceBody, body ?? {}, 'request body');
  const heartbeatAt = (services.now ?? Date.now)();
  const instance = { id, url, weight: weight ?? 1, ...(metadata ? { metadata } : {}), heartbeatAt };
  await services.store.putInstance(name, instance);
  return { statusCode: 200, body: { service: name, ...instance, heartbeatAt: new Date(heartbeatAt).toISOString() } };
}

/** `DELETE /services/{name}/instances/{id}` → 200 `{ service, id, deleted: true }`; 404 when no such instance is registered. */
export async function deleteServiceInstance(deps: ApiDeps, path: unknown): Promise<ApiResult> {
  const services = servicesOf(deps);
  const { name, id } = parseRequest(serviceInstancePath, path, 'path');
  if (!(await services.store.deleteInstance(name, id))) throw new NotFound(`service "${name}" has no registered instance "${id}"`, { code: 'unknown_instance' });
  return { statusCode: 200, body: { service: name, id, deleted: true } };
}
