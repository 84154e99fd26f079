import type { ServiceDefinition } from '../../core/definition/model.ts';
import { ConfigurationError } from '../../core/errors.ts';
import { defaultOrchestrationRuntime } from './default-runtime.ts';
import { probeServices, type ProbeReport } from './health-probes.ts';
import type { ServiceOrchestrationRuntime } from './orchestrator.ts';

/** `STEPFLOW_PROBED_SERVICES`: the definitions of the services to probe, by name (written by the CDK construct). */
export function probedServicesFromEnv(env: Readonly<Record<string, string | undefined>>): Map<string, ServiceDefinition> {
  try {
    return new Map(Object.entries(JSON.parse(env.STEPFLOW_PROBED_SERVICES ?? '{}') as Record<string, ServiceDefinition>));
  } catch (error) {
    throw new ConfigurationError('STEPFLOW_PROBED_SERVICES must be JSON', { cause: error });
  }
}

/**
 * The health probe Lambda, run by an EventBridge schedule: probes every instance of every orchestrated
 * service once and records their health in the state table, where the invokers read it.
 */
export function createProbeHandler(runtime?: ServiceOrchestrationRuntime, env: Readonly<Record<string, string | undefined>> = process.env) {
  const services = probedServicesFromEnv(env);
  let current = runtime;
  return async (): Promise<ProbeReport[]> => {
    current ??= defaultOrchestrationRuntime(env);
    return probeServices(current, services);
  };
}

export const handler = createProbeHandler();
