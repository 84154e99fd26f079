import type { ServiceDefinition } from '../../core/definition/model.ts';
import { probeServices } from '../../functions/orchestration/health-probes.ts';
import type { ServiceOrchestrationRuntime } from '../../functions/orchestration/orchestrator.ts';
import type { Clock, TimerHandle } from '../clock.ts';

/**
 * The offline counterpart of the probe Lambda's schedule: each service probed every
 * `health_check.interval` on the stack's clock. A probe round in progress is awaited by `stop()`.
 */
export class HealthProbeLoop {
  private readonly timers = new Map<string, TimerHandle>();
  private readonly running = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(private readonly runtime: ServiceOrchestrationRuntime, private readonly services: ReadonlyMap<string, ServiceDefinition>, private readonly clock: Clock) {}

  start(): void {
    for (const name of this.services.keys()) this.arm(name);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) this.clock.clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }

  private arm(name: string): void {
    const definition = this.services.get(name)!;
    this.timers.set(name, this.clock.setTimeout(() => {
      if (this.stopped) return;
      const round = probeServices(this.runtime, new Map([[name, definition]])).finally(() => {
        this.running.delete(round);
        if (!this.stopped) this.arm(name);
      });
      this.running.add(round);
    }, definition.orchestration!.healthCheck.intervalSeconds * 1000));
  }
}
