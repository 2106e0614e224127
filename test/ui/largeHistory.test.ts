import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { uuid7 } from '../../src/domain/ids.js';
import { launchBrowser, type TestBrowser } from '../helpers/browser.js';
import { startTestServer, type BackgroundProcess } from '../helpers/processes.js';
import { tempDir } from '../helpers/tempDir.js';
import { apiClient, deployFixture, type Api } from '../helpers/workerEnv.js';

/** Browser tests wait on real processes; a loaded 2-core machine needs room. */
const SLOW = { timeout: 120_000 };

/**
 * The runs page over 100,000 runs: rows written straight into the server's SQLite file in bulk,
 * then the page loaded in the browser. Times are printed for the record, not asserted (timing
 * claims belong in bench/); what is asserted is that the first page is right.
 */
const RUNS = 100_000;
const STATES = [
  ['COMPLETED', 'Completed'],
  ['COMPLETED', 'Completed'],
  ['COMPLETED', 'Completed'],
  ['FAILED', 'Failed'],
  ['CRASHED', 'Crashed'],
  ['CANCELLED', 'Cancelled'],
] as const;

// What the page.evaluate callbacks use of the page's globals (this file is typechecked without the
// DOM library); `performance` is also Node's, which has these members too.
interface Timing {
  name: string;
  startTime: number;
  responseEnd: number;
}
declare const document: { querySelector(selector: string): unknown };
declare const performance: { now(): number; getEntriesByType(type: 'navigation' | 'resource'): Timing[] };

let home: ReturnType<typeof tempDir>;
let server: BackgroundProcess | undefined;
let browser: TestBrowser | undefined;
let a: Api;
let newestName = '';

/** Inserts `count` finished runs of a deployment with one state row each, in one transaction. */
function insertRuns(dbPath: string, deployment: { id: string; flow_id: string; work_queue_id: string }, count: number): void {
  const db = new Database(dbPath);
  db.pragma('busy_timeout = 10000');
  const run = db.prepare(
    `INSERT INTO flow_run (id, created, updated, name, flow_id, deployment_id, work_queue_id, work_queue_name, parameters, tags,
       state_id, state_type, state_name, state_timestamp, run_count, expected_start_time, start_time, end_time, total_run_time)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'default', '{}', ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`,
  );
  const state = db.prepare(
    `INSERT INTO flow_run_state (id, created, flow_run_id, type, name, timestamp, message, state_details) VALUES (?, ?, ?, ?, ?, ?, NULL, '{}')`,
  );
  // One run a minute up to now, oldest first, so ids (UUIDv7) grow with creation time.
  const start = Date.now() - count * 60_000;
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const created = start + i * 60_000;
      const [type, name] = STATES[i % STATES.length]!;
      const id = uuid7(created);
      const stateId = uuid7(created + 2_000);
      const runName = `bulk-run-${i}`;
      run.run(id, created, created + 2_000, runName, deployment.flow_id, deployment.id, deployment.work_queue_id, i % 10 === 0 ? '["nightly"]' : '[]', stateId, type, name, created + 2_000, created, created, created + 2_000, 2);
      state.run(stateId, created + 2_000, id, type, name, created + 2_000);
      newestName = runName;
    }
  })();
  db.close();
}

beforeAll(async () => {
  home = tempDir();
  const started = await startTestServer(home.path);
  server = started.server;
  a = apiClient(started.apiUrl);
  await a.post('/work_pools/', { name: 'bulk-pool', type: 'process' });
  const deployment = await deployFixture(a, 'bulk-pool', 'hello.ts', 'hello');
  const t0 = Date.now();
  insertRuns(join(home.path, 'baton.db'), deployment, RUNS);
  console.log(`[100k runs] inserted ${RUNS.toLocaleString()} runs and their states in ${Date.now() - t0} ms`);
  browser = await launchBrowser(`http://127.0.0.1:${started.port}`);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  home.remove();
});

/** Median wall time of `times` calls. */
async function median(times: number, call: () => Promise<unknown>): Promise<number> {
  const took: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    await call();
    took.push(performance.now() - t0);
  }
  took.sort((x, y) => x - y);
  return Math.round(took[Math.floor(times / 2)]! * 10) / 10;
}

test('the runs page shows the first of 100,000 runs at once', SLOW, async () => {
  const first = await a.post('/flow_runs/paginate', { limit: 25, page: 1 });
  expect(first.count).toBe(RUNS);
  expect(first.results[0].name).toBe(newestName);
  const api = {
    firstPage: await median(5, () => a.post('/flow_runs/paginate', { limit: 25, page: 1 })),
    failedOnly: await median(5, () => a.post('/flow_runs/paginate', { flow_runs: { state: { type: { any_: ['FAILED'] } } }, limit: 25, page: 1 })),
    byTag: await median(5, () => a.post('/flow_runs/paginate', { flow_runs: { tags: { all_: ['nightly'] } }, limit: 25, page: 1 })),
    lastPage: await median(5, () => a.post('/flow_runs/paginate', { limit: 25, page: RUNS / 25 })),
  };

  const page = await browser!.newPage();
  const rows = page.locator('[data-testid="runs-table"] tbody tr');
  /** From the start of the navigation to the first rows on screen, as the page's own clock says. */
  const load = async (url: string) => {
    await page.goto(url, { waitUntil: 'commit' });
    const shown = await page.waitForFunction(() => (document.querySelector('[data-testid="runs-table"] tbody tr') ? performance.now() : false), null, {
      polling: 'raf',
      timeout: 30_000,
    });
    return Math.round((await shown.jsonValue()) as number);
  };
  const cold = await load('/runs');
  expect(await rows.count()).toBe(25);
  expect(await rows.first().locator('a.strong').textContent()).toBe(newestName);
  expect(await page.getByTestId('pager-summary').textContent()).toBe(`1–25 of ${RUNS.toLocaleString('en-US')}`);
  const warm = await load('/runs');
  // Where the reload's time went, from the page's resource timings.
  const parts = await page.evaluate(() => {
    const at = (n: number) => Math.round(n);
    const nav = performance.getEntriesByType('navigation')[0];
    const resources = performance.getEntriesByType('resource');
    const script = resources.find((e) => e.name.includes('/assets/') && e.name.endsWith('.js'));
    const runs = resources.find((e) => e.name.endsWith('/api/flow_runs/paginate'));
    return `html ${at(nav?.responseEnd ?? 0)} ms, script loaded ${at(script?.responseEnd ?? 0)} ms, runs request ${at(runs?.startTime ?? 0)}–${at(runs?.responseEnd ?? 0)} ms`;
  });
  const filtered = await load('/runs?state=FAILED&page=40');
  expect(await page.locator('[data-testid="runs-table"] tbody .badge').first().getAttribute('data-state-type')).toBe('FAILED');

  console.log(
    `[100k runs] browser: first load ${cold} ms (cold cache), reload ${warm} ms (${parts}), ` +
      `failed runs page 40 ${filtered} ms; API medians of 5: first page ${api.firstPage} ms, FAILED only ${api.failedOnly} ms, ` +
      `tag filter ${api.byTag} ms, last page ${api.lastPage} ms`,
  );
  await page.close();
  expect(browser!.problems).toEqual([]);
});
