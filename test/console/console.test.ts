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
    expect(await page.locator('article.workflow').count()).toBe(3);
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

    // redrive: offered on an execution that did not succeed; it runs again from the state that did not finish
    await page.click('#redrive');
    await page.locator('#execution-message', { hasText: 'redrive requested' }).waitFor();
    await page.locator('#execution-status', { hasText: 'RUNNING' }).waitFor({ timeout: 20_000 });
    await page.locator('.timeline li[data-type="ExecutionRedriven"]').first().waitFor();
    await shot('5b-execution-redriven');
    await page.click('#cancel');
    await page.locator('#execution-status', { hasText: 'ABORTED' }).waitFor({ timeout: 20_000 });
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

  it('filters executions by name and start time', async () => {
    await fetch(`${stack.url}/workflows/orders/executions`, { method: 'POST', body: JSON.stringify({ name: 'named-alpha', input: {} }) });
    await page.goto(`${stack.url}/#/workflows/orders`);
    await page.selectOption('#status-filter', '');
    await page.locator('table.executions a', { hasText: 'named-alpha' }).waitFor();
    await page.fill('#name-filter', 'alpha');
    await page.locator('table.executions a', { hasText: 'done-1' }).waitFor({ state: 'detached' });
    expect(await page.locator('table.executions tbody tr').count()).toBe(1);
    // a start-time window that ends before any execution started hides them all
    await page.fill('#to-filter', '2000-01-01T00:00:00');
    await page.locator('table.executions a', { hasText: 'named-alpha' }).waitFor({ state: 'detached' });
    await page.fill('#to-filter', '');
    await page.fill('#from-filter', '2000-01-01T00:00:00');
    await page.locator('table.executions a', { hasText: 'named-alpha' }).waitFor();
    await shot('7-executions-by-name-and-time');
  });

  it('shows schedules with their next fire times and event rules with their deliveries', async () => {
    const created = await fetch(`${stack.url}/schedules`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ workflow: 'orders', cron: '0 6 * * *', name: 'morning' }) });
    expect(created.status).toBe(201);
    const rule = await fetch(`${stack.url}/event-rules`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workflow: 'orders', name: 'placed', pattern: { source: ['shop'], 'detail-type': ['OrderPlaced'] } }),
    });
    expect(rule.status).toBe(201);
    await fetch(`${stack.url}/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ source: 'shop', detailType: 'OrderPlaced', detail: { id: 1 } }) });

    await page.goto(`${stack.url}/`);
    await page.click('#nav-schedules');
    const schedule = page.locator('article.schedule[data-schedule="orders.morning"]');
    await schedule.waitFor();
    expect(await schedule.locator('.next-fires li').count()).toBeGreaterThan(0);
    expect(await schedule.locator('.next-fires li').first().textContent()).toContain('T06:00:00');
    expect(await schedule.textContent()).toContain('no fires yet');
    await shot('8-schedules');

    await page.click('#nav-event-rules');
    const card = page.locator('article.event-rule[data-rule="stepflow-orders.placed"]');
    await card.waitFor();
    expect(await card.locator('pre.pattern').textContent()).toContain('OrderPlaced');
    expect(await card.locator('h3').textContent()).toContain('api');
    await card.locator('table.fires tr[data-outcome="started"]').waitFor({ timeout: 20_000 });
    await shot('9-event-rules');
  });

  it('lists pending approvals live, and approves one and rejects another with a reason', async () => {
    const start = (name: string) => fetch(`${stack.url}/workflows/review/executions`, { method: 'POST', body: JSON.stringify({ name, input: {} }) });
    const finished = async (name: string) => {
      for (;;) {
        const view = (await (await fetch(`${stack.url}/workflows/review/executions/${name}`)).json()) as { status: string };
        if (view.status !== 'RUNNING') return view;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    await page.goto(`${stack.url}/`);
    await page.click('#nav-approvals');
    await page.locator('.approvals-empty').waitFor();
    // Requested after the page opened: the list picks them up by itself.
    await start('review-yes');
    await start('review-no');
    const cards = page.locator('article.approval[data-task="sign_off"]');
    await page.locator('article.approval').nth(1).waitFor({ timeout: 20_000 });
    expect(await page.locator('article.approval').count()).toBe(2);
    expect(await cards.first().textContent()).toContain('approvers: editors');
    await shot('10-approvals');

    const card = (execution: string) => page.locator('article.approval', { has: page.locator(`a[href$="/executions/${execution}"]`) });
    await card('review-yes').locator('input[name="reason"]').fill('reads well');
    await card('review-yes').locator('button.approve').click();
    await page.locator('#approval-message', { hasText: 'approved' }).waitFor();
    await card('review-yes').waitFor({ state: 'detached' });

    await card('review-no').locator('input[name="reason"]').fill('too long');
    await card('review-no').locator('button.reject').click();
    await page.locator('#approval-message', { hasText: 'rejected' }).waitFor();
    await page.locator('.approvals-empty').waitFor();
    await shot('11-approvals-decided');

    expect(await finished('review-yes')).toMatchObject({ status: 'SUCCEEDED' });
    expect(await finished('review-no')).toMatchObject({ status: 'FAILED', error: 'stepflow.ApprovalRejected', cause: 'too long' });
  }, 60_000);
});
