/**
 * The offline example services, as `npm start` serves them: the services server on 127.0.0.1 and, for every
 * service that tasks name but neither the workflow nor the environment declares, its URL variable pointing at
 * the example notification service. `stepflow run` uses the same, so a definition runs alike under both.
 */
import type { WorkflowPlan } from '../core/compiler/plan.ts';
import { serviceUrlVariable } from '../functions/service-invoker/resolve-service.ts';
import { startServicesServer, type ServicesServer } from './services-server.ts';

/** Services named by tasks but declared nowhere resolve to the example notification service. */
export function undeclaredServiceUrls(plans: readonly WorkflowPlan[], servicesUrl: string, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const service of plans.flatMap((p) => p.services)) {
    const variable = serviceUrlVariable(service.name);
    if (!service.definition && !env[variable]) urls[variable] = `${servicesUrl}/notify`;
  }
  return urls;
}

export interface ExampleServices {
  /** The environment the service invoker reads: `env` plus the example URLs. */
  readonly env: Record<string, string | undefined>;
  readonly server: ServicesServer;
  close(): Promise<void>;
}

/** Starts the example services (on a free port unless told) for these plans. */
export async function startExampleServices(plans: readonly WorkflowPlan[], props: { port?: number; env?: NodeJS.ProcessEnv } = {}): Promise<ExampleServices> {
  const env = props.env ?? process.env;
  const server = await startServicesServer({ port: props.port ?? 0 });
  return { env: { ...env, ...undeclaredServiceUrls(plans, server.url, env) }, server, close: () => server.close() };
}
