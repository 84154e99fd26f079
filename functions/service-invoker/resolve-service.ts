import type { ServiceTaskEvent } from '../../core/contracts/task-event.ts';
import { ServiceNotFound } from '../../core/errors.ts';
import { expandEnv } from './env-expansion.ts';

/** The definition language's default service timeout (DEFAULT_SERVICE_TIMEOUT_SECONDS). */
const DEFAULT_TIMEOUT_SECONDS = 30;

export type Env = Readonly<Record<string, string | undefined>>;

/** A service's settings, as the compiler puts them in the task event. */
export type ServiceDefinition = NonNullable<ServiceTaskEvent['service']['definition']>;

/** `notification-service` → `STEPFLOW_SERVICE_NOTIFICATION_SERVICE_URL`. */
export function serviceUrlVariable(name: string): string {
  return `STEPFLOW_SERVICE_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_URL`;
}

/**
 * The service to call: its declared definition, else a POST to the URL in
 * `STEPFLOW_SERVICE_<NAME>_URL`; URL and header values have `${VAR}` / `${VAR:-default}` expanded.
 * Neither → ServiceNotFound.
 */
export function resolveService(service: ServiceTaskEvent['service'], env: Env): ServiceDefinition {
  const declared: ServiceDefinition | undefined =
    service.definition ??
    (env[serviceUrlVariable(service.name)]
      ? { name: service.name, url: env[serviceUrlVariable(service.name)]!, method: 'POST', headers: {}, timeoutSeconds: DEFAULT_TIMEOUT_SECONDS }
      : undefined);
  if (!declared) {
    throw new ServiceNotFound(
      `service "${service.name}" is neither declared in the workflow nor configured by ${serviceUrlVariable(service.name)}`,
    );
  }
  const where = `service "${service.name}"`;
  if (!declared.url) throw new ServiceNotFound(`${where} has no url (its instances are discovered, but it has no orchestration settings)`);
  return {
    ...declared,
    url: expandEnv(declared.url, env, `${where} url`),
    headers: Object.fromEntries(
      Object.entries(declared.headers).map(([header, value]) => [header, expandEnv(value, env, `${where} header ${header}`)]),
    ),
  };
}
