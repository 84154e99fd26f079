import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { WorkflowPlan } from '../../core/compiler/plan.ts';
import { DynamoDbOrchestrationStore } from '../../functions/orchestration/dynamodb-orchestration-store.ts';
import { probedServices } from '../../functions/orchestration/health-probes.ts';
import { ServiceOrchestrationRuntime } from '../../functions/orchestration/orchestrator.ts';
import type { ServicesDeps } from '../../functions/orchestration/service-views.ts';
import type { Env } from '../../functions/service-invoker/resolve-service.ts';
import type { Clock } from '../clock.ts';
import { HealthProbeLoop } from './health-probe-loop.ts';

/** The dev stack's service orchestration: registry, health and breakers in its table, as deployed. */
export class LocalServiceOrchestration {
  readonly runtime: ServiceOrchestrationRuntime;
  private probes?: HealthProbeLoop;

  constructor(props: { readonly client: DynamoDBDocumentClient; readonly tableName: string; readonly env: Env; readonly clock: Clock }) {
    const store = new DynamoDbOrchestrationStore({ client: props.client, tableName: props.tableName });
    this.clock = props.clock;
    this.runtime = new ServiceOrchestrationRuntime({ store, env: props.env, now: () => props.clock.now() });
  }

  private readonly clock: Clock;

  /** What the services API reads, calls in flight included (the invoker runs in this process). */
  get api(): ServicesDeps {
    return { store: this.runtime.store, outstanding: (service) => this.runtime.balancer.outstanding(service), now: () => this.clock.now() };
  }

  /** Probes the orchestrated services of the plans on their health_check.interval. */
  startProbes(plans: readonly WorkflowPlan[]): void {
    this.probes = new HealthProbeLoop(this.runtime, probedServices(plans.flatMap((p) => p.services)), this.clock);
    this.probes.start();
  }

  async stop(): Promise<void> {
    await this.probes?.stop();
    await this.runtime.flush();
  }
}
