/**
 * The web console: time from the dev stack's start to the console's first meaningful paint (the workflow
 * cards drawn) in headless Chromium, the same Debian Chromium and playwright-core as test/console/; and the
 * console bundle (app.js + app.css) gzipped.
 *
 * Goals: first paint ≤ 1 s after the API answers (`paintAfterApiMs`), bundle ≤ 300 KB gzipped.
 * Runs: STEPFLOW_BENCH_CONSOLE_RUNS (default 5; 1 for a smoke run). Run alone: `npm run bench -- --only console`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { startDevStack } from '../local/dev-stack.ts';

export interface ConsoleFigures {
  readonly runs: number;
  /** Median: dev stack start called → its API answers GET /workflows. */
  readonly apiReadyMs: number;
  /** Median: dev stack start called → the workflow cards are painted. */
  readonly firstMeaningfulPaintMs: number;
  /** Median: the API answers → the cards are painted (navigation, bundle, API calls, render); goal ≤ 1000. */
  readonly paintAfterApiMs: number;
  readonly bundleBytes: number;
  /** Goal ≤ 300 KB (307,200 bytes). */
  readonly bundleGzipBytes: number;
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function consoleBench(options: { runs?: number } = {}): Promise<ConsoleFigures> {
  const runs = options.runs ?? (Number(process.env.STEPFLOW_BENCH_CONSOLE_RUNS) || 5);
  // The browser is up before the clock starts: the figure is the stack's and the console's, not Chromium's launch.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  const apiReady: number[] = [];
  const paint: number[] = [];
  const afterApi: number[] = [];
  let bundleBytes = 0;
  let bundleGzipBytes = 0;
  try {
    for (let run = 0; run < runs; run++) {
      const dataDir = mkdtempSync(join(tmpdir(), 'stepflow-bench-console-'));
      const page = await browser.newPage();
      const started = performance.now();
      const stack = await startDevStack({ definitionsDir: resolve('definitions'), dataDir, port: 0, servicesPort: 0, log: () => undefined, taskLog: () => undefined });
      try {
        while (!(await fetch(`${stack.url}/workflows`).then((r) => r.ok, () => false))) await new Promise((r) => setTimeout(r, 5));
        const ready = performance.now();
        await page.goto(`${stack.url}/`);
        await page.locator('article.workflow').first().waitFor();
        const painted = performance.now();
        apiReady.push(ready - started);
        paint.push(painted - started);
        afterApi.push(painted - ready);
        if (run === 0) {
          const assets = await Promise.all(['/console/app.js', '/console/app.css'].map((p) => fetch(stack.url + p).then((r) => r.arrayBuffer())));
          bundleBytes = assets.reduce((sum, a) => sum + a.byteLength, 0);
          bundleGzipBytes = assets.reduce((sum, a) => sum + gzipSync(Buffer.from(a), { level: 9 }).byteLength, 0);
        }
      } finally {
        await page.close();
        await stack.stop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
  } finally {
    await browser.close();
  }
  return {
    runs,
    apiReadyMs: round(median(apiReady)),
    firstMeaningfulPaintMs: round(median(paint)),
    paintAfterApiMs: round(median(afterApi)),
    bundleBytes,
    bundleGzipBytes,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await consoleBench(), null, 2));
