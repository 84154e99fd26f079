import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli/main.ts';
import type { CliIo } from '../../cli/io.ts';
import { nextFireTimes } from '../../core/scheduling/aws-cron.ts';
import { startDevStack } from '../../local/dev-stack.ts';
import { FakeClock } from '../support/fake-clock.ts';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), isTty: false };
  const code = await runCli(argv, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** A port nothing listens on, so the default dev stack probe finds nothing. */
const NOWHERE = 'http://127.0.0.1:9';

describe('stepflow schedules', () => {
  it('prints the next fire times of every cron trigger of nightly-backup.yaml, in UTC and in the trigger time zone', async () => {
    const { code, stdout } = await cli('schedules', 'definitions/nightly-backup.yaml', '--count', '3', '--data-dir', mkdtempSync(join(tmpdir(), 'stepflow-cli-')));
    // --url not given: the stack probe finds nothing and the definition alone is printed
    expect(code).toBe(0);
    expect(stdout).toContain('daily_backup (definitions/nightly-backup.yaml)');
    expect(stdout).toContain('  nightly: 0 0 * * * (UTC) via EventBridge rule');
    expect(stdout).toContain('  hourly_incremental: cron(15 * * * ? *) (Europe/Paris) via EventBridge Scheduler  if {"flag":{"name":"backups_enabled","equals":true}}');
    const nightly = stdout.split('\n').filter((l) => /^ {4}\d{4}-\d\d-\d\dT00:00:00\.000Z {2}\d{4}-\d\d-\d\d 00:00:00 UTC \(UTC\)$/.test(l));
    expect(nightly).toHaveLength(3);
    const paris = stdout.split('\n').filter((l) => /^ {4}\S+Z {2}\S+ \d\d:15:00 GMT\+[12] \(Europe\/Paris\)$/.test(l));
    expect(paris).toHaveLength(3);
  });

  it('prints the pattern of every event trigger', async () => {
    const { code, stdout } = await cli('schedules', 'definitions/order-pipeline.yaml', '--url', NOWHERE);
    expect(stdout).toContain('  order_placed: event on bus (project bus)\n    pattern {"source":["shop.orders"],"detail-type":["OrderPlaced"],"detail":{"amount":[{"numeric":[">",0]}]}}');
    // an explicit --url that answers nothing is an error
    expect(code).toBe(1);
  });

  it('refuses a count that is not a whole number', async () => {
    expect((await cli('schedules', 'definitions/nightly-backup.yaml', '--count', 'x')).code).toBe(2);
  });

  it('summarises the fires of each schedule of a running dev stack', async () => {
    // GIVEN the dev stack serving the examples, its nightly schedule fired once on a fake clock
    const dataDir = mkdtempSync(join(tmpdir(), 'stepflow-cli-stack-'));
    const clock = new FakeClock(Date.now());
    const stack = await startDevStack({ definitionsDir: 'definitions', dataDir, port: 0, servicesPort: 0, retryIntervalMs: 0, schedulingClock: clock, log: () => undefined });
    try {
      const [midnight] = nextFireTimes('0 0 * * *', { from: new Date(clock.now()), count: 1 });
      // up to an hour past midnight: the hourly one has had a :15 on the way, whatever the time now
      clock.advanceTo(midnight.getTime() + 3600_000);
      await stack.scheduling.scheduler.idle();

      // WHEN the command asks the stack
      const { code, stdout } = await cli('schedules', '--url', stack.url, '--data-dir', dataDir);

      // THEN each schedule is listed with its fires, skips and lateness
      expect(code).toBe(0);
      expect(stdout).toMatch(/ {2}daily_backup\.nightly: 1 fires, 1 started, 0 skipped, 0 duplicate, 0 missed, 0 failed; lateness p50 0\.0 ms, p99 0\.0 ms; next /);
      // the hourly one ran at least once on the way, skipped: its flag is not set
      expect(stdout).toMatch(/ {2}daily_backup\.hourly_incremental: \d+ fires, 0 started, \d+ skipped \(\d+ × flag backups_enabled is not set\)/);
    } finally {
      await stack.stop();
    }
  }, 30_000);
});
