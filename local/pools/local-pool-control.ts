import type { PoolControl } from '../../functions/pools/pool-control.ts';
import type { LocalPool } from './local-pool.ts';

/**
 * The API's view of an offline pool: its queues on fauxqs, and the LocalPool as its runtime (pause and
 * resume hold the pollers, as disabling the event source mappings does on AWS; scale changes the live
 * pool; a delay past SQS's 15 minutes waits on a timer, until the stack stops).
 */
export function localPoolControl(pool: LocalPool, timers: Set<NodeJS.Timeout>, log?: (line: string) => void): PoolControl {
  return {
    definition: () => pool.definition,
    queues: pool.queues,
    runtime: {
      pause: async () => pool.pause(),
      resume: async () => pool.resume(),
      paused: async () => pool.paused,
      scale: async (sizes) => pool.scale(sizes),
      live: () => {
        const snapshot = pool.snapshot();
        return { workers: snapshot.workers, restarts: snapshot.restarts, degraded: snapshot.degraded };
      },
      sendLater: (send, delaySeconds) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          send().catch((error: Error) => log?.(`⚠ pool ${pool.definition.name}: a delayed job could not be sent: ${error.message}`));
        }, delaySeconds * 1000);
        timers.add(timer);
      },
    },
  };
}
