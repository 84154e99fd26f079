import type { ApiDeps } from './deps.ts';
import { getService, listServices } from './operations/get-services.ts';
import { deleteServiceInstance, putServiceInstance } from './operations/service-instances.ts';
import type { ApiRoute } from './router.ts';

/** The service registry: instances registered (each PUT a heartbeat), and every service's health, breaker and metrics. */
export function serviceRoutes(deps: ApiDeps): ApiRoute[] {
  return [
    { method: 'GET', path: '/services', run: () => listServices(deps) },
    { method: 'GET', path: '/services/{name}', run: (event) => getService(deps, event.pathParameters) },
    { method: 'PUT', path: '/services/{name}/instances/{id}', run: (event) => putServiceInstance(deps, event.pathParameters, event.body) },
    { method: 'DELETE', path: '/services/{name}/instances/{id}', run: (event) => deleteServiceInstance(deps, event.pathParameters) },
  ];
}
