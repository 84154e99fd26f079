import type { PoolControl } from '../../functions/pools/pool-control.ts';
import type { DelayedJobs } from './delayed-jobs.ts';
import type { LocalPool } from './local-pool.ts';

/**
 * The API's view of an offline pool: its queues on fauxqs, and the LocalPool as its runtime (pause and
 * resume hold the pollers, as disabling the event source mappings does on AWS; scale changes the live
 * pool; a delay past SQS's 15 minutes is a DelayedJobs record, sent when due, across restarts).
 */
export function localPoolControl(pool: LocalPool, delayed: DelayedJobs): PoolControl {
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
      schedule: async (job, delaySeconds, now) => {
        await delayed.add({
          jobId: job.jobId,
          pool: pool.definition.name,
          lane: job.lane,
          queueUrl: pool.queues[job.lane].url,
          body: job.body,
          dueAt: now + delaySeconds * 1000,
        });
      },
    },
  };
}
