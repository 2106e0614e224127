import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchBrowser, PHONE, screenshot, type TestBrowser } from '../helpers/browser.js';
import { startTestServer, type BackgroundProcess } from '../helpers/processes.js';
import { tempDir } from '../helpers/tempDir.js';
import { startWorker } from '../helpers/workerEnv.js';

/** Browser tests wait on real processes; a loaded 2-core machine needs room. */
const SLOW = { timeout: 120_000 };

/**
 * The tutorial's work-pool steps in the browser, against the real server and a real worker: create
 * the pool through the form, see its default queue red (not ready), start a worker, see it turn
 * green and the worker listed, without reloading the page.
 */
let home: ReturnType<typeof tempDir>;
let server: BackgroundProcess | undefined;
let worker: BackgroundProcess | undefined;
let env: Record<string, string>;
let browser: TestBrowser | undefined;

// What the page.evaluate callbacks use of the page's globals (this file is typechecked without the DOM library).
declare const document: { documentElement: { scrollWidth: number } };
declare function getComputedStyle(element: unknown): { backgroundColor: string };

const RED = 'rgb(224, 62, 69)';
const GREEN = 'rgb(31, 157, 85)';
const YELLOW = 'rgb(230, 167, 0)';

beforeAll(async () => {
  home = tempDir();
  const started = await startTestServer(home.path);
  server = started.server;
  env = started.env;
  browser = await launchBrowser(`http://127.0.0.1:${started.port}`);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await server?.stop();
  home.remove();
});

const iconColour = (page: Page, selector: string) =>
  page.locator(`${selector} .status-icon`).first().evaluate((el) => getComputedStyle(el).backgroundColor);

test('create a pool in the form; its default queue turns from red to green when a worker starts; the worker is listed', SLOW, async () => {
  const page = await browser!.newPage();
  await page.goto('/work-pools');
  await page.getByText('No work pools yet.').waitFor();

  await page.getByRole('button', { name: 'Create work pool' }).click();
  await page.locator('#pool-name').fill('my-process-pool');
  await page.locator('#pool-limit').fill('4');
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await page.waitForURL('**/work-pools/my-process-pool');

  const queue = page.locator('[data-queue="default"] .status');
  await queue.waitFor();
  expect(await queue.getAttribute('data-status')).toBe('NOT_READY');
  expect(await iconColour(page, '[data-queue="default"]')).toBe(RED);
  await page.getByRole('tab', { name: /Workers/ }).click();
  await page.getByText('No workers yet.').waitFor();
  expect(await page.getByTestId('empty').textContent()).toContain('baton worker start --pool my-process-pool');
  await page.getByRole('tab', { name: /Work queues/ }).click();

  worker = startWorker(env, ['--pool', 'my-process-pool', '--name', 'ui-worker']);
  // Live: the page is not reloaded.
  await expect.poll(() => queue.getAttribute('data-status'), { timeout: 30_000, interval: 200 }).toBe('READY');
  expect(await iconColour(page, '[data-queue="default"]')).toBe(GREEN);
  expect(await page.locator('.page-subtitle .status').getAttribute('data-status')).toBe('READY');
  await page.locator('[data-queue="default"] time').waitFor();
  await screenshot(page, 'work-pool-detail');

  await page.getByRole('tab', { name: /Workers/ }).click();
  const row = page.locator('[data-worker="ui-worker"]');
  await row.waitFor();
  expect(await row.locator('.status').getAttribute('data-status')).toBe('ONLINE');
  expect(await row.locator('time').textContent()).toMatch(/ago|just now/);
  await screenshot(page, 'work-pool-workers');

  await page.getByRole('link', { name: 'Work pools' }).click();
  const listed = page.locator('[data-pool="my-process-pool"]');
  await listed.waitFor();
  expect(await listed.locator('.status').getAttribute('data-status')).toBe('READY');
  expect(await listed.textContent()).toContain('process');
  expect(await listed.textContent()).toContain('0 of 4');
  await screenshot(page, 'work-pools');
  expect(browser!.problems).toEqual([]);
});

test('the form shows the server’s refusals at the field: a duplicate name (409) and a bad limit (422)', SLOW, async () => {
  const page = await browser!.newPage();
  await page.goto('/work-pools?create=1');
  await page.locator('#pool-name').fill('my-process-pool');
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  const nameError = page.locator('[data-field-error="name"]');
  await nameError.waitFor();
  expect(await nameError.textContent()).toMatch(/already exists/);

  await page.locator('#pool-name').fill('another-pool');
  await page.locator('#pool-limit').fill('-3');
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  const limitError = page.locator('[data-field-error="concurrency_limit"]');
  await limitError.waitFor();
  expect(await limitError.textContent()).toMatch(/greater than or equal to 0/);
  expect(await page.locator('.banner-error').textContent()).toMatch(/concurrency_limit/);
  await page.close();
});

test('pause and resume a pool: the status turns yellow, then back', SLOW, async () => {
  const page = await browser!.newPage();
  await page.goto('/work-pools/my-process-pool');
  const status = page.locator('.page-subtitle .status');
  await status.waitFor();
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect.poll(() => status.getAttribute('data-status'), { timeout: 10_000 }).toBe('PAUSED');
  expect(await iconColour(page, '.page-subtitle')).toBe(YELLOW);
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect.poll(() => status.getAttribute('data-status'), { timeout: 10_000 }).toBe('READY');
  await page.close();
});

test('on a phone (390 px wide) the pool page fits the screen', SLOW, async () => {
  const page = await browser!.newPage(PHONE);
  await page.goto('/work-pools/my-process-pool');
  await page.locator('[data-queue="default"]').waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(PHONE.width);
  await screenshot(page, 'work-pool-phone');
  await page.close();
  expect(browser!.problems).toEqual([]);
});
