import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../cli/main.ts';
import { nextFireTimes } from '../../../core/scheduling/aws-cron.ts';
import { startDevStack, type DevStack } from '../../../local/dev-stack.ts';
import { FakeClock } from '../../support/fake-clock.ts';

const definitionsDir = fileURLToPath(new URL('../fixtures/scheduled', import.meta.url));

async function schedule(stack: DevStack, id: string) {
  const response = await fetch(`${stack.url}/schedules/${id}`);
  return (await response.json()) as { fires: { outcome: string; reason?: string; scheduledTime: string }[] };
}

describe('schedules across downtime', () => {
  it('records the fires that fell while the stack was down as missed, runs them late with catchup, and counts them from the store', async () => {
    // GIVEN two five-minute schedules, one with catchup, that fired once before the stack stopped
    const dataDir = mkdtempSync(join(tmpdir(), 'stepflow-downtime-'));
    const [first] = nextFireTimes('*/5 * * * *', { from: new Date(), count: 1 });
    const clock = new FakeClock(first.getTime() - 1000);
    const start = (schedulingClock: FakeClock) => startDevStack({ definitionsDir, dataDir, port: 0, servicesPort: 0, retryIntervalMs: 0, schedulingClock, log: () => undefined });
    const before = await start(clock);
    clock.advanceTo(first.getTime() + 1000);
    await before.scheduling.scheduler.idle();
    await before.stop();

    // WHEN it starts again 16 minutes later: three instants fell in between
    const after = await start(new FakeClock(first.getTime() + 16 * 60_000));
    try {
      // THEN the plain schedule shows them missed, with the reason
      const plain = await schedule(after, 'ticking.every_five');
      expect(plain.fires.map((f) => f.outcome)).toEqual(['missed', 'missed', 'missed', 'started']);
      expect(plain.fires[0]).toMatchObject({ reason: 'the offline stack was not running', scheduledTime: new Date(first.getTime() + 15 * 60_000).toISOString() });
      // AND the catchup schedule ran each of them, late
      const caught = await schedule(after, 'ticking.catching_up');
      expect(caught.fires.map((f) => f.outcome)).toEqual(['started', 'started', 'started', 'started']);
      await after.engine.flush();
      expect(after.engine.list({ workflow: 'ticking' })).toHaveLength(5);

      // AND `stepflow schedules` counts them from the store, the previous run's fire included
      const out: string[] = [];
      const code = await runCli(['schedules', '--url', after.url, '--data-dir', dataDir], { out: (t) => out.push(t), err: () => undefined, isTty: false });
      expect(code).toBe(0);
      expect(out.join('')).toMatch(/ {2}ticking\.every_five: 4 fires, 1 started, 0 skipped, 0 duplicate, 3 missed, 0 failed; lateness p50/);
      expect(out.join('')).toMatch(/ {2}ticking\.catching_up: 4 fires, 4 started, 0 skipped, 0 duplicate, 0 missed, 0 failed; lateness p50/);
    } finally {
      await after.stop();
    }
  });
});
