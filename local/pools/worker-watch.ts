import type { WorkerProcess } from './worker-process.ts';

/**
 * A busy worker that does not answer a ping within the stall timeout is frozen: killed, so its exit hands
 * its jobs back to run elsewhere.
 */
export function killStalled(workers: Iterable<WorkerProcess>, stallMs: number, warn: (line: string) => void): void {
  for (const worker of workers) {
    if (worker.state !== 'busy' || worker.pinging) continue;
    worker.pinging = true;
    void worker.ping(stallMs).then((healthy) => {
      worker.pinging = false;
      if (healthy || worker.state === 'stopped') return;
      warn(`worker ${worker.pid} stalled (no answer for ${stallMs / 1000}s while busy): replaced`);
      worker.kill();
    });
  }
}

/** The periodic health check: an idle worker that does not answer a ping in time is killed (and replaced). */
export async function replaceUnhealthy(workers: Iterable<WorkerProcess>, pingTimeoutMs: number, warn: (line: string) => void): Promise<void> {
  for (const worker of [...workers]) {
    if (worker.state !== 'idle') continue;
    if (!(await worker.ping(pingTimeoutMs))) {
      warn(`worker ${worker.pid} failed its health check: replaced`);
      worker.kill();
    }
  }
}
