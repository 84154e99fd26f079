import { DiscoverInstancesCommand, type ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import type { ServiceOrchestration } from '../../core/definition/orchestration-model.ts';
import { ServiceUnavailable } from '../../core/errors.ts';
import type { RegisteredInstance } from './records.ts';

/** An instance as discovery sees it; `id` is stable across refreshes. */
export interface DiscoveredInstance {
  readonly id: string;
  readonly url: string;
  readonly weight: number;
  readonly source: 'static' | 'registry' | 'cloudmap' | 'consul';
  readonly metadata?: Record<string, string>;
}

export interface DiscoveryDeps {
  readonly now: () => number;
  readonly fetch: typeof fetch;
  /** Needed only by services with `discovery: cloudmap`. */
  readonly cloudMap?: () => Pick<ServiceDiscoveryClient, 'send'>;
  /** Registry instances not heard from for longer than this are ignored. @default 90 */
  readonly registryTtlSeconds?: number;
}

/**
 * Where a service's instances come from, besides its static seeds (`url`, `instances`): the registry
 * (read with the rest of the service's state), AWS Cloud Map or Consul (both cached for refresh_interval).
 */
export class Discovery {
  private readonly cache = new Map<string, { readonly at: number; readonly instances: readonly DiscoveredInstance[] }>();

  constructor(private readonly deps: DiscoveryDeps) {}

  async instances(service: string, settings: ServiceOrchestration, staticUrls: readonly string[], registered: readonly RegisteredInstance[]): Promise<DiscoveredInstance[]> {
    const seeds = staticUrls.map((url): DiscoveredInstance => ({ id: url, url, weight: 1, source: 'static' }));
    switch (settings.discovery) {
      case 'static':
        return seeds;
      case 'registry': {
        const ttlMs = (this.deps.registryTtlSeconds ?? 90) * 1000;
        const live = registered
          .filter((i) => this.deps.now() - i.heartbeatAt <= ttlMs)
          .map((i): DiscoveredInstance => ({ id: i.id, url: i.url, weight: i.weight, source: 'registry', ...(i.metadata ? { metadata: i.metadata } : {}) }));
        return [...seeds, ...live];
      }
      case 'cloudmap':
      case 'consul':
        return [...seeds, ...(await this.cached(service, settings))];
    }
  }

  private async cached(service: string, settings: ServiceOrchestration): Promise<readonly DiscoveredInstance[]> {
    const hit = this.cache.get(service);
    if (hit && this.deps.now() - hit.at < settings.refreshSeconds * 1000) return hit.instances;
    try {
      const found = settings.discovery === 'cloudmap' ? await this.cloudMap(service, settings) : await this.consul(service, settings);
      this.cache.set(service, { at: this.deps.now(), instances: found });
      return found;
    } catch (error) {
      // A discovery outage keeps the last instances known rather than failing every call.
      if (hit) return hit.instances;
      throw new ServiceUnavailable(`service "${service}": ${settings.discovery} discovery failed: ${(error as Error).message}`, { cause: error });
    }
  }

  /**
   * Healthy instances from Cloud Map's DiscoverInstances: a `url` attribute if the instance has one,
   * else http://AWS_INSTANCE_IPV4:AWS_INSTANCE_PORT
   * (https://docs.aws.amazon.com/cloud-map/latest/api/API_DiscoverInstances.html,
   * https://docs.aws.amazon.com/cloud-map/latest/api/API_RegisterInstance.html for the attribute names).
   */
  private async cloudMap(service: string, settings: ServiceOrchestration): Promise<DiscoveredInstance[]> {
    if (!settings.cloudmap || !this.deps.cloudMap) throw new Error('no Cloud Map namespace or client');
    const answer = await this.deps.cloudMap().send(new DiscoverInstancesCommand({
      NamespaceName: settings.cloudmap.namespace,
      ServiceName: settings.cloudmap.service,
      HealthStatus: 'HEALTHY',
    }));
    return (answer.Instances ?? []).flatMap((i): DiscoveredInstance[] => {
      const a = i.Attributes ?? {};
      const host = a.AWS_INSTANCE_IPV4 ?? a.AWS_INSTANCE_CNAME;
      const url = a.url ?? (host ? `http://${host}:${a.AWS_INSTANCE_PORT ?? '80'}${a.path ?? ''}` : undefined);
      if (!url || !i.InstanceId) return [];
      return [{ id: i.InstanceId, url, weight: Number(a.weight ?? 1) || 1, source: 'cloudmap', metadata: a }];
    });
  }

  /**
   * Passing instances from Consul's health endpoint, `GET /v1/health/service/<name>?passing`
   * (https://developer.hashicorp.com/consul/api-docs/health#list-service-instances-for-service):
   * Service.Address (else Node.Address) and Service.Port; Service.Meta.path, if set, is appended.
   * A service ID is unique per agent only (https://developer.hashicorp.com/consul/api-docs/agent/service#id),
   * so two nodes may both run "web": the instance id is `<node>/<service id>`.
   */
  private async consul(service: string, settings: ServiceOrchestration): Promise<DiscoveredInstance[]> {
    if (!settings.consul) throw new Error('no Consul address');
    const url = `${settings.consul.address.replace(/\/$/, '')}/v1/health/service/${encodeURIComponent(settings.consul.service)}?passing`;
    const response = await this.deps.fetch(url, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    const entries = (await response.json()) as ConsulHealthEntry[];
    return entries.map((entry) => {
      const host = entry.Service.Address || entry.Node.Address;
      const meta = entry.Service.Meta ?? {};
      return {
        id: `${entry.Node.Node}/${entry.Service.ID}`,
        url: `${meta.scheme ?? 'http'}://${host}:${entry.Service.Port}${meta.path ?? ''}`,
        weight: entry.Service.Weights?.Passing ?? 1,
        source: 'consul' as const,
        metadata: meta,
      };
    });
  }
}

/** The fields of one entry of Consul's /v1/health/service answer that discovery reads. */
export interface ConsulHealthEntry {
  readonly Node: { readonly Node: string; readonly Address: string };
  readonly Service: { readonly ID: string; readonly Service: string; readonly Address: string; readonly Port: number; readonly Meta?: Record<string, string>; readonly Weights?: { readonly Passing: number; readonly Warning: number } };
  readonly Checks: readonly { readonly Status: string }[];
}
