import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevStack, type DevStack } from '../../local/dev-stack.ts';

const definitions = fileURLToPath(new URL('../local/fixtures/observed', import.meta.url));
/** Screenshots of each page, kept as test output (printed as they are taken). */
const SHOTS = resolve('test-output/console');
/** Debian's Chromium, installed by .ci/run; Playwright's own browser downloads cannot reach the internet here. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let stack: DevStack;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  stack = await startDevStack({ definitionsDir: definitions, dataDir: mkdtempSync(join(tmpdir(), 'stepflow-console-')), port: 0, servicesPort: 0, retryIntervalMs: 0, log: () => undefined, taskLog: () => undefined });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function shot(name: string): Promise<void> {
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot: ${path}`);
}

describe('the web console in a real browser', () => {
  it('lists the workflows with their graphs', async () => {
    await page.goto(`${stack.url}/`);
    await page.locator('article.workflow[data-workflow="orders"] svg .node[data-task="validate"]').waitFor();
    expect(await page.locator('article.workflow').count()).toBe(2);
    expect(await page.locator('article.workflow[data-workflow="orders"] svg line').count()).toBe(1);
    await shot('1-workflows');
  });

  it('starts an execution, watches it run, inspects a task and cancels it', async () => {
    // start
    await page.click('a[href="#/workflows/slow"]');
    await page.locator('#start').waitFor();
    await page.fill('textarea[name="input"]', '{"order": 7}');
    await shot('2-workflow');
    await page.click('#start');

    // watch: the first task succeeds, the second keeps running
    await page.locator('#execution-status', { hasText: 'RUNNING' }).waitFor();
    await page.locator('tr[data-task="wait_forever"]', { hasText: 'RUNNING' }).waitFor();
    await page.locator('svg .node[data-task="prepare"][data-status="SUCCEEDED"]').waitFor();
    await page.locator('.timeline li[data-type="LambdaFunctionStarted"]').first().waitFor();
    await shot('3-execution-running');

    // inspect: the task's input, output and its log line
    await page.click('tr[data-task="prepare"]');
    const details = page.locator('.task-details[data-task="prepare"]');
    await details.waitFor();
    expect(await details.textContent()).toContain('"order": 7');
    expect(await details.textContent()).toContain('working on prepare');
    await shot('4-task-details');

    // cancel
    await page.click('#cancel');
    await page.locator('#execution-status', { hasText: 'ABORTED' }).waitFor({ timeout: 20_000 });
    expect(await page.locator('.timeline li[data-type="ExecutionAborted"]').count()).toBe(1);
    await shot('5-execution-cancelled');
  });

  it('filters executions by status', async () => {
    await fetch(`${stack.url}/workflows/orders/executions`, { method: 'POST', body: JSON.stringify({ name: 'done-1', input: {} }) });
    await page.goto(`${stack.url}/#/workflows/orders`);
    await page.locator('table.executions a', { hasText: 'done-1' }).waitFor();
    await page.selectOption('#status-filter', 'FAILED');
    await page.locator('table.executions a', { hasText: 'done-1' }).waitFor({ state: 'detached' });
    await page.selectOption('#status-filter', 'SUCCEEDED');
    await page.locator('table.executions a', { hasText: 'done-1' }).waitFor();
    await shot('6-executions-filtered');
  });
});
