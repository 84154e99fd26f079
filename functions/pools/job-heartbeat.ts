import type { PoolHeartbeat } from '../../core/definition/pool-heartbeat.ts';

/** Calls `beat` every `ms` until the returned function is called. */
export type Every = (ms: number, beat: () => void) => () => void;

export const realEvery: Every = (ms, beat) => {
  const timer = setInterval(beat, ms);
  timer.unref();
  return () => clearInterval(timer);
};

/**
 * Beats while one job runs: every interval, `beat` (the job record's lease, the message's visibility, a
 * pooled task's SendTaskHeartbeat). A beat never overlaps the previous one, and `stop` waits for the one in
 * flight, so a visibility change never lands after the job's own (its restart_delay) or its delete.
 */
export class JobHeartbeat {
  private inFlight: Promise<void> | undefined;
  private readonly cancel: () => void;
  private stopped = false;

  constructor(timing: PoolHeartbeat, beat: () => Promise<void>, onError: (error: Error) => void, every: Every = realEvery) {
    this.cancel = every(timing.intervalSeconds * 1000, () => {
      if (this.stopped || this.inFlight) return;
      this.inFlight = beat().catch(onError).finally(() => {
        this.inFlight = undefined;
      });
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancel();
    await this.inFlight;
  }
}
