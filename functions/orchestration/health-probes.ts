import type { ServiceDefinition } from '../../core/definition/model.ts';
import type { ServiceOrchestrationRuntime } from './orchestrator.ts';

export interface ProbeReport {
  readonly service: string;
  readonly instances: readonly { readonly id: string; readonly url: string; readonly ok: boolean; readonly healthy: boolean }[];
  readonly error?: string;
}

/** Orchestrated services with active health checks, each once, from the services of compiled plans. */
export function probedServices(services: Iterable<{ readonly name: string; readonly definition?: ServiceDefinition }>): Map<string, ServiceDefinition> {
  const probed = new Map<string, ServiceDefinition>();
  for (const { name, definition } of services) {
    if (definition?.orchestration?.healthCheck.active && !probed.has(name)) probed.set(name, definition);
  }
  return probed;
}

/** Probes every instance of each service once; a service whose discovery fails is reported, not thrown. */
export async function probeServices(runtime: ServiceOrchestrationRuntime, services: ReadonlyMap<string, ServiceDefinition>): Promise<ProbeReport[]> {
  return Promise.all([...services].map(async ([service, definition]) => {
    try {
      return { service, instances: await runtime.probe(service, definition) };
    } catch (error) {
      return { service, instances: [], error: (error as Error).message };
    }
  }));
}
