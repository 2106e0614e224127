import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchBrowser, PHONE, screenshot, type TestBrowser } from '../helpers/browser.js';
import { startTestServer, type BackgroundProcess } from '../helpers/processes.js';
import { tempDir } from '../helpers/tempDir.js';
import { apiClient, deployFixture, startWorker, waitForEnd, type Api } from '../helpers/workerEnv.js';

/** Browser tests wait on real processes; a loaded 2-core machine needs room. */
const SLOW = { timeout: 120_000 };

/**
 * Runs in the browser, against the real server and a real worker: trigger one from a deployment's
 * page with a parameter and watch it complete with its log line; an invalid parameter answered at
 * its field; cancel a long run from its page; retry a finished one; the runs list, live.
 */
let home: ReturnType<typeof tempDir>;
let server: BackgroundProcess | undefined;
let worker: BackgroundProcess | undefined;
let browser: TestBrowser | undefined;
let a: Api;
const deployments: Record<string, { id: string; flow_id: string }> = {};

// What the page.evaluate callbacks use of the page's globals (this file is typechecked without the DOM library).
declare const window: { batonMark?: number };
declare const document: { documentElement: { scrollWidth: number } };

const HELLO_SCHEMA = { type: 'object', properties: { name: { type: 'string', default: 'world', description: 'Who to greet' } } };
const NAPS_SCHEMA = {
  type: 'object',
  properties: { ms: { type: 'integer', minimum: 0, default: 300, description: 'How long to nap, in milliseconds' } },
  required: ['ms'],
};

beforeAll(async () => {
  home = tempDir();
  const started = await startTestServer(home.path);
  server = started.server;
  a = apiClient(started.apiUrl);
  await a.post('/work_pools/', { name: 'ui-pool', type: 'process' });
  deployments.hello = await deployFixture(a, 'ui-pool', 'hello.ts', 'hello', { parameter_openapi_schema: HELLO_SCHEMA, tags: ['demo'] });
  deployments.naps = await deployFixture(a, 'ui-pool', 'naps.ts', 'naps', {
    parameter_openapi_schema: NAPS_SCHEMA,
    schedules: [{ schedule: { interval: 3600, timezone: 'UTC' }, active: true }],
  });
  // What `baton deploy` writes for a flow without params.
  deployments.forever = await deployFixture(a, 'ui-pool', 'sleepsForever.ts', 'sleepsForever', { parameter_openapi_schema: { type: 'object', properties: {} } });
  worker = startWorker(started.env, ['--pool', 'ui-pool', '--name', 'ui-worker']);
  browser = await launchBrowser(`http://127.0.0.1:${started.port}`);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await server?.stop();
  home.remove();
});

const stateOf = (page: Page) => page.locator('[data-testid="run-state"] .badge').getAttribute('data-state-type');

/** Marks the page so a later check can tell that it was never reloaded. */
const markPage = (page: Page) => page.evaluate(() => (window.batonMark = 42));
const stillMarked = (page: Page) => page.evaluate(() => window.batonMark === 42);

async function openRunForm(page: Page, deploymentId: string): Promise<void> {
  await page.goto(`/deployments/${deploymentId}`);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.locator('form.run-form').waitFor();
}

test('trigger a run from the deployment page with a parameter; it completes and its log line appears without a reload', SLOW, async () => {
  const page = await browser!.newPage();
  await page.goto('/deployments');
  await page.getByRole('link', { name: /hello\s*\/\s*test/ }).click();
  await page.getByTestId('parameters-table').waitFor();
  expect(await page.getByTestId('parameters-table').textContent()).toContain('Who to greet');

  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const field = page.locator('#param-name');
  expect(await field.inputValue()).toBe('world');
  await field.fill('UI');
  await page.locator('form.run-form button[type="submit"]').click();

  await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
  await markPage(page);
  await expect.poll(() => stateOf(page), { timeout: 60_000, interval: 250 }).toBe('COMPLETED');
  const logs = page.getByTestId('logs');
  await logs.getByText('Hello, UI!').waitFor({ timeout: 20_000 });
  expect(await page.getByTestId('run-worker').textContent()).toBe('ui-worker');
  const timeline = await page.locator('[data-testid="state-timeline"] > li').evaluateAll((items) => items.map((li) => li.getAttribute('data-state-type')));
  expect(timeline).toEqual(['SCHEDULED', 'PENDING', 'RUNNING', 'COMPLETED']);
  expect(await page.locator('pre.code').textContent()).toContain('"name": "UI"');
  expect(await stillMarked(page)).toBe(true);
  await screenshot(page, 'run-detail');

  // Retry: the finished run is scheduled again and runs a second time.
  await page.getByRole('button', { name: 'Retry' }).click();
  await page.getByText(/Retry: accepted/).waitFor();
  await expect.poll(() => page.locator('[data-testid="state-timeline"] > li').count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(8);
  await expect.poll(() => stateOf(page), { timeout: 60_000, interval: 250 }).toBe('COMPLETED');
  expect(await page.locator('[data-testid="state-timeline"]').textContent()).toContain('Retried from the UI');
  expect(await stillMarked(page)).toBe(true);
  expect(browser!.problems).toEqual([]);
  await page.close();
});

test('an invalid parameter is answered by the server at its field', SLOW, async () => {
  const page = await browser!.newPage();
  await openRunForm(page, deployments.naps!.id);
  const field = page.locator('#param-ms');
  expect(await field.inputValue()).toBe('300');
  expect(await page.locator('[data-field="ms"] .required').count()).toBe(1);

  await field.fill('-5');
  await page.locator('form.run-form button[type="submit"]').click();
  const error = page.locator('[data-field-error="ms"]');
  await error.waitFor();
  expect(await error.textContent()).toMatch(/must be >= 0/);
  expect(await field.getAttribute('aria-invalid')).toBe('true');
  await screenshot(page, 'deployment-run-form');

  await field.fill('1.5');
  await page.locator('form.run-form button[type="submit"]').click();
  await expect.poll(() => error.textContent()).toMatch(/must be integer/);
  expect(page.url()).toContain(`/deployments/${deployments.naps!.id}`);
  expect(await page.getByTestId('schedules-table').textContent()).toContain('every 1 h');

  // Pause and resume: the schedule stops showing a next run while paused.
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.locator('.page-subtitle .badge-paused').waitFor();
  expect(await page.getByTestId('schedules-table').textContent()).toContain('Paused');
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await page.locator('.page-subtitle .badge-ok').waitFor();
  await page.close();
});

test('a refused proposal shows the server’s answer: retrying a run that has no deployment is aborted', SLOW, async () => {
  const run = await a.post('/flow_runs/', { flow_id: deployments.hello!.flow_id, name: 'ad-hoc', state: { type: 'FAILED', message: 'Failed by hand' } });
  const page = await browser!.newPage();
  await page.goto(`/runs/${run.id}`);
  await page.getByText('This run wrote no log lines.').waitFor();
  expect(await page.getByText('None (ad-hoc run)').count()).toBe(1);
  await page.getByRole('button', { name: 'Retry' }).click();
  const answer = page.getByTestId('orchestration-answer');
  await answer.waitFor();
  expect(await answer.textContent()).toMatch(/ABORT: Cannot reschedule a run without an associated deployment/);
  expect(await stateOf(page)).toBe('FAILED');
  await page.close();
});

test('cancel a long run from its page: it ends Cancelled', SLOW, async () => {
  const page = await browser!.newPage();
  await openRunForm(page, deployments.forever!.id);
  expect(await page.locator('form.run-form').textContent()).toContain('This flow takes no parameters');
  await page.locator('form.run-form button[type="submit"]').click();
  await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
  const runId = page.url().split('/').pop()!;

  await page.getByTestId('logs').getByText('sleeping forever').waitFor({ timeout: 60_000 });
  expect(await stateOf(page)).toBe('RUNNING');
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByText(/Cancel: accepted/).waitFor();
  await expect.poll(() => stateOf(page), { timeout: 60_000, interval: 250 }).toBe('CANCELLED');
  const states = await page.locator('[data-testid="state-timeline"] > li').evaluateAll((items) => items.map((li) => li.getAttribute('data-state-type')));
  expect(states.slice(-2)).toEqual(['CANCELLING', 'CANCELLED']);
  expect(await page.getByRole('button', { name: 'Cancel' }).isDisabled()).toBe(true);
  expect((await waitForEnd(a, runId)).state_type).toBe('CANCELLED');
  await page.close();
});

test('the runs list: newest first, filters in the URL, new runs appear live; and the flows page', SLOW, async () => {
  const page = await browser!.newPage();
  await page.goto('/runs');
  const rows = page.locator('[data-testid="runs-table"] tbody tr');
  await rows.first().waitFor();
  await markPage(page);

  const run = await a.post(`/deployments/${deployments.naps!.id}/create_flow_run`, { parameters: { ms: 100 } });
  await page.locator(`[data-run-id="${run.id}"]`).waitFor({ timeout: 10_000 });
  // Newest first: run ids are UUIDv7, so creation order is id order.
  const ids = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-run-id') ?? ''));
  expect(ids).toEqual([...ids].sort().reverse());
  await waitForEnd(a, run.id);
  await expect.poll(() => page.locator(`[data-run-id="${run.id}"] .badge`).getAttribute('data-state-type'), { timeout: 10_000 }).toBe('COMPLETED');
  expect(await stillMarked(page)).toBe(true);
  await screenshot(page, 'runs');

  await page.goto(`/runs?state=CANCELLED&deployment=${deployments.forever!.id}`);
  await rows.first().waitFor();
  const types = await page.locator('[data-testid="runs-table"] tbody .badge').evaluateAll((b) => b.map((x) => x.getAttribute('data-state-type')));
  expect(types).toEqual(['CANCELLED']);
  expect(await page.getByTestId('state-filter').textContent()).toBe('Cancelled');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(3);
  expect(page.url()).toMatch(/\/runs$/);

  await page.goto('/runs?tag=no-such-tag');
  await page.getByText('No runs match these filters.').waitFor();

  await page.getByRole('link', { name: 'Flows' }).click();
  const hello = page.locator('[data-flow="hello"]');
  await hello.waitFor();
  expect(await hello.textContent()).toContain('test');
  // Its newest run is the ad-hoc one that failed.
  expect(await hello.locator('.last-run').textContent()).toContain('ad-hoc');
  expect(await hello.locator('.badge').getAttribute('data-state-type')).toBe('FAILED');
  await screenshot(page, 'flows');

  await page.getByRole('link', { name: 'Deployments' }).click();
  await page.getByTestId('deployments-table').waitFor();
  expect(await page.getByTestId('deployments-table').textContent()).toContain('every 1 h');
  await screenshot(page, 'deployments');
  expect(browser!.problems).toEqual([]);
  await page.close();
});

test('without the live stream the pages poll every 2 s, and changes still appear', SLOW, async () => {
  const page = await browser!.newPage();
  await page.route('**/api/events', (route) => route.abort());
  await page.goto('/runs');
  await page.locator('[data-testid="runs-table"] tbody tr').first().waitFor();
  await page.locator('[data-live="polling"]').waitFor();
  const run = await a.post(`/deployments/${deployments.naps!.id}/create_flow_run`, { parameters: { ms: 10 } });
  await page.locator(`[data-run-id="${run.id}"]`).waitFor({ timeout: 15_000 });
  await waitForEnd(a, run.id);
  await expect.poll(() => page.locator(`[data-run-id="${run.id}"] .badge`).getAttribute('data-state-type'), { timeout: 15_000 }).toBe('COMPLETED');
  await page.close();
});

test('on a phone (390 px wide) the runs list and a run fit the screen', SLOW, async () => {
  const page = await browser!.newPage(PHONE);
  await page.goto('/runs');
  await page.locator('[data-testid="runs-table"] tbody tr').first().waitFor();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  await page.locator('[data-testid="runs-table"] tbody tr a.strong').first().click();
  await page.getByTestId('state-timeline').waitFor();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  await screenshot(page, 'run-detail-phone');
  await page.close();
});
