import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nextFireTimes } from '../../core/scheduling/aws-cron.ts';
import { compileWorkflow } from '../../core/compiler/compile.ts';
import { loadForCommand } from '../definition-input.ts';
import { parse, UsageError } from '../args.ts';
import type { CliIo } from '../io.ts';

const DEFAULT_URL = 'http://127.0.0.1:3000';
/** Served by the offline Scheduler (local/emulators/scheduler/scheduler-server.ts STATS_PATH). */
const STATS_PATH = '/_stepflow/schedule-stats';

interface Stats {
  readonly scheduleId: string;
  readonly workflow: string;
  readonly enabled: boolean;
  readonly nextFireTime?: string;
  readonly fires: number;
  readonly started: number;
  readonly skipped: Record<string, number>;
  readonly duplicates: number;
  readonly missed: number;
  readonly failed: number;
  readonly p50LatenessMs?: number;
  readonly p99LatenessMs?: number;
}

/** `stepflow schedules [<file>...] [--url URL] [--count N] [--data-dir DIR]`: resolves to the exit code. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, { url: { type: 'string' }, count: { type: 'string' }, 'data-dir': { type: 'string' } });
  const count = values.count === undefined ? 5 : Number(values.count);
  if (!Number.isInteger(count) || count < 1 || count > 1000) throw new UsageError(`count must be a whole number from 1 to 1000, got "${values.count}"`);
  let failed = 0;
  for (const file of positionals) if (!printDefinition(file, count, io)) failed++;

  // The running stack: --url, else the stack started from this folder, else the default API.
  const statsUrl = await findStats(values.url, values['data-dir'] ?? '.stepflow');
  if (statsUrl) await printStats(statsUrl, io);
  else if (values.url) {
    io.err(`✖ no running dev stack found for ${values.url} (start one with "stepflow dev")\n`);
    return 1;
  } else if (positionals.length === 0) throw new UsageError('give definition files, or start the dev stack ("stepflow dev") to see its schedules');
  return failed ? 1 : 0;
}

/** Prints one definition's triggers; false when the definition has errors. */
function printDefinition(file: string, count: number, io: CliIo): boolean {
  const definition = loadForCommand(file, io);
  if (!definition) return false;
  const plan = compileWorkflow(definition);
  io.out(`${plan.name} (${file})\n`);
  if (plan.triggers.length === 0) io.out('  no triggers\n');
  const now = new Date();
  for (const trigger of plan.triggers) {
    const off = !trigger.enabled || (trigger.kind === 'schedule' ? !plan.scheduling.cronEnabled : !plan.scheduling.eventEnabled) ? ' [disabled]' : '';
    const condition = trigger.condition ? `  if ${JSON.stringify(trigger.condition)}` : '';
    if (trigger.kind === 'schedule') {
      io.out(`  ${trigger.name}: ${trigger.expression} (${trigger.timezone}) via ${trigger.via === 'rule' ? 'EventBridge rule' : 'EventBridge Scheduler'}${off}${condition}\n`);
      for (const at of nextFireTimes(trigger.expression, { from: now, count, timezone: trigger.timezone })) {
        io.out(`    ${at.toISOString()}  ${localTime(at, trigger.timezone)}\n`);
      }
    } else {
      io.out(`  ${trigger.name}: event on bus ${trigger.bus ?? '(project bus)'}${off}${condition}\n    pattern ${JSON.stringify(trigger.pattern)}\n`);
    }
  }
  return true;
}

/** `2026-03-29 03:30:00 CEST (Europe/Paris)`. */
function localTime(at: Date, timezone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'short' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')} ${get('timeZoneName')} (${timezone})`;
}

/**
 * The stats URL of the running stack: the dev stack writes its endpoints to `<data-dir>/endpoints.json`,
 * so its Scheduler is found whatever port its API took; with `apiUrl`, only the stack serving that API
 * (or a URL that is itself the offline Scheduler).
 */
async function findStats(apiUrl: string | undefined, dataDir: string): Promise<string | undefined> {
  const candidates = [apiUrl ?? DEFAULT_URL];
  try {
    const endpoints = JSON.parse(readFileSync(join(dataDir, 'endpoints.json'), 'utf8')) as Record<string, string>;
    if ((apiUrl === undefined || trim(endpoints.api) === trim(apiUrl)) && endpoints.scheduler) candidates.unshift(endpoints.scheduler);
  } catch {
    /* no stack started from this folder */
  }
  for (const base of candidates) {
    try {
      const response = await fetch(trim(base) + STATS_PATH, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return trim(base) + STATS_PATH;
    } catch {
      /* not reachable */
    }
  }
  return undefined;
}

async function printStats(url: string, io: CliIo): Promise<void> {
  const { schedules } = (await (await fetch(url)).json()) as { schedules: Stats[] };
  io.out(`\nschedules of the running stack (${url.replace(STATS_PATH, '')})\n`);
  if (schedules.length === 0) io.out('  none\n');
  for (const s of schedules) {
    const skipped = Object.entries(s.skipped).map(([reason, n]) => `${n} × ${reason}`).join(', ');
    const lateness = s.p50LatenessMs === undefined ? 'no fires yet' : `lateness p50 ${s.p50LatenessMs.toFixed(1)} ms, p99 ${s.p99LatenessMs!.toFixed(1)} ms`;
    io.out(`  ${s.scheduleId}${s.enabled ? '' : ' [disabled]'}: ${s.fires} fires, ${s.started} started, ${Object.values(s.skipped).reduce((a, b) => a + b, 0)} skipped${skipped ? ` (${skipped})` : ''}, ${s.duplicates} duplicate, ${s.missed} missed, ${s.failed} failed; ${lateness}${s.nextFireTime ? `; next ${s.nextFireTime}` : ''}\n`);
  }
}

function trim(url: string | undefined): string {
  return (url ?? '').replace(/\/+$/, '');
}
