import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ManualClock } from '../../src/domain/time.js';
import { buildApp } from '../../src/server/app.js';
import { catchUp, DEFAULT_SCHEDULER } from '../../src/server/services/index.js';
import { Scheduler, type SchedulerSettings } from '../../src/server/services/scheduler.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { createDeployment, createPool, createRun } from '../helpers/objects.js';

/** The scheduler service against the real store, with a ManualClock. */
let t: TestApp;
let clock: ManualClock;
const logs: string[] = [];
const log = { info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m), error: (_: unknown, m?: string) => logs.push(m ?? '') };
const T0 = Date.parse('2026-01-01T00:00:00Z');
const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

let schedulers: Scheduler[] = [];
function schedulerFor(store: SqliteStore, settings: Partial<SchedulerSettings> = {}): Scheduler {
  const s = new Scheduler(store, clock, { ...DEFAULT_SCHEDULER, ...settings }, log);
  schedulers.push(s);
  return s;
}

beforeEach(async () => {
  t = await testApp({ clock: 'manual' });
  clock = t.clock as ManualClock;
  logs.length = 0;
  await createPool(t);
});
afterEach(async () => {
  for (const s of schedulers) s.close();
  schedulers = [];
  await t.close();
});

/** Every run of the deployment, straight from the table (slot, state, schedule). */
function runRows(store: SqliteStore, deploymentId: string) {
  return store.db
    .prepare('SELECT id, schedule_slot, schedule_id, state_name, parameters FROM flow_run WHERE deployment_id = ? ORDER BY schedule_slot, id')
    .all(deploymentId) as { id: string; schedule_slot: number | null; schedule_id: string | null; state_name: string; parameters: string }[];
}

describe('keeping schedules supplied', () => {
  test("Prefect's defaults: at least 3 runs and 1 hour ahead, with the run fields of a scheduled run", async () => {
    const d = await createDeployment(t, {
      tags: ['etl'],
      parameters: { name: 'world', count: 1 },
      schedules: [{ schedule: { interval: 600 }, slug: 'ten', parameters: { count: 2 } }],
    });
    const result = await schedulerFor(t.store).tick();
    expect(result).toEqual({ schedules: 1, created: 7 });
    const runs = (await t.call('POST', '/api/flow_runs/filter', { sort: 'EXPECTED_START_TIME_ASC' })).body;
    expect(runs.map((r: any) => r.expected_start_time)).toEqual([0, 10, 20, 30, 40, 50, 60].map((m) => iso(T0 + m * MINUTE)));
    expect(runs[0]).toMatchObject({
      state_type: 'SCHEDULED',
      state_name: 'Scheduled',
      auto_scheduled: true,
      tags: ['auto-scheduled', 'etl'],
      parameters: { name: 'world', count: 2 },
      work_queue_name: 'default',
      deployment_id: d.id,
      created_by: { id: d.schedules[0].id, type: 'SCHEDULE', display_value: 'ten' },
      next_scheduled_start_time: iso(T0),
    });
    expect(runs[0].state.state_details.scheduled_time).toBe(iso(T0));
  });

  test("a schedule's max_scheduled_runs caps its upcoming runs, and it refills as they pass", async () => {
    const d = await createDeployment(t, { schedules: [{ schedule: { interval: 60 }, max_scheduled_runs: 2 }] });
    const scheduler = schedulerFor(t.store);
    expect(await scheduler.tick()).toEqual({ schedules: 1, created: 2 });
    const slots = () => runRows(t.store, d.id).map((r) => r.schedule_slot);
    expect(slots()).toEqual([T0, T0 + MINUTE]);
    // Nothing more while two runs are still ahead; one more once the first slot has passed.
    expect((await scheduler.tick()).created).toBe(0);
    clock.advance(MINUTE / 2);
    expect((await scheduler.tick()).created).toBe(1);
    expect(slots()).toEqual([T0, T0 + MINUTE, T0 + 2 * MINUTE]);
    // Without its own limit the schedule gets the scheduler's hour ahead.
    const id = d.schedules[0].id;
    expect((await t.call('PATCH', `/api/deployments/${d.id}/schedules/${id}`, { max_scheduled_runs: null })).status).toBe(204);
    await scheduler.tick();
    expect(slots().filter((s) => (s as number) > clock.now())).toHaveLength(61);
  });

  test('a weekly schedule keeps 3 runs ahead; a yearly one only the runs within 100 days', async () => {
    await createDeployment(t, { schedules: [{ schedule: { cron: '0 9 * * MON' } }] });
    await createDeployment(t, { schedules: [{ schedule: { cron: '0 0 1 6 *' } }] }, 'yearly');
    await schedulerFor(t.store).tick();
    const runs = (await t.call('POST', '/api/flow_runs/filter', { sort: 'EXPECTED_START_TIME_ASC' })).body;
    expect(runs.map((r: any) => r.expected_start_time)).toEqual(['2026-01-05T09:00:00.000Z', '2026-01-12T09:00:00.000Z', '2026-01-19T09:00:00.000Z']);
    const yearly = (await t.call('GET', '/api/deployments/name/yearly/nightly')).body;
    // Beyond the 100-day horizon: no run yet, but next_fire_time shows when it will fire.
    expect(yearly.schedules[0].next_fire_time).toBe('2026-06-01T00:00:00.000Z');
  });

  test('a pass reads only due schedules; as time passes each is topped up, never twice for a slot', async () => {
    const d = await createDeployment(t, { schedules: [{ schedule: { interval: 60 } }] });
    const scheduler = schedulerFor(t.store);
    expect((await scheduler.tick()).created).toBe(61);
    // Nothing is due until the horizon moves.
    expect(await t.store.schedules.due(clock.now(), 100)).toEqual([]);
    expect(await scheduler.tick()).toEqual({ schedules: 0, created: 0 });
    for (let i = 0; i < 30; i++) {
      clock.advance(20_000);
      await scheduler.tick();
    }
    const slots = runRows(t.store, d.id).map((r) => r.schedule_slot);
    expect(new Set(slots).size).toBe(slots.length);
    // At 00:10 there are runs up to 01:10: 71 slots.
    expect(slots).toHaveLength(71);
    expect(slots.at(-1)).toBe(T0 + 70 * MINUTE);
  });

  test('limits come from the settings', async () => {
    await createDeployment(t, { schedules: [{ schedule: { interval: 1 } }] });
    await schedulerFor(t.store, { maxRuns: 10 }).tick();
    expect(await t.call('POST', '/api/flow_runs/count', {}).then((r) => r.body)).toBe(10);
  });

  test('a deployment change is acted on by the next pass: new schedules, and runs that no longer match are replaced', async () => {
    const d = await createDeployment(t, { schedules: [{ schedule: { interval: 1800 } }] });
    const scheduler = schedulerFor(t.store);
    await scheduler.tick();
    const first = runRows(t.store, d.id);
    // A change that does not alter the runs keeps them (and their ids).
    await t.call('PATCH', `/api/deployments/${d.id}`, { description: 'nightly ETL' });
    await scheduler.tick();
    expect(runRows(t.store, d.id).map((r) => r.id)).toEqual(first.map((r) => r.id));
    // New default parameters: the runs still to come are made again with them.
    await t.call('PATCH', `/api/deployments/${d.id}`, { parameters: { name: 'moon' } });
    await scheduler.tick();
    const renewed = runRows(t.store, d.id);
    expect(renewed.map((r) => r.schedule_slot)).toEqual(first.map((r) => r.schedule_slot));
    expect(renewed.every((r) => JSON.parse(r.parameters).name === 'moon')).toBe(true);
  });

  test('two schedules firing at the same instant make a run each when they have slugs; without slugs, one', async () => {
    const d = await createDeployment(t, {
      schedules: [
        { schedule: { cron: '0 * * * *' }, slug: 'eu', parameters: { name: 'eu' } },
        { schedule: { cron: '0 * * * *' }, slug: 'us', parameters: { name: 'us' } },
      ],
    });
    await schedulerFor(t.store).tick();
    const rows = runRows(t.store, d.id);
    const at = (slot: number) => rows.filter((r) => r.schedule_slot === slot).map((r) => JSON.parse(r.parameters).name).sort();
    expect(at(T0)).toEqual(['eu', 'us']);
    expect(at(T0 + 60 * MINUTE)).toEqual(['eu', 'us']);
    const other = await createDeployment(t, { schedules: [{ schedule: { cron: '0 * * * *' } }, { schedule: { interval: 3600 } }] }, 'other');
    await schedulerFor(t.store).tick();
    // Three runs ahead (the minimum), one per hour although both schedules fire every hour.
    expect(runRows(t.store, other.id).map((r) => r.schedule_slot)).toEqual([0, 60, 120].map((m) => T0 + m * MINUTE));
  });

  test('an edit never makes a second run for a slot whose run was already claimed (slug renamed, redeployed)', async () => {
    const schedules = [{ schedule: { interval: 600 }, slug: 'ten' }];
    const d = await createDeployment(t, { schedules });
    const scheduler = schedulerFor(t.store);
    await scheduler.tick();
    // A worker claims the 00:10 run ahead of time (prefetch).
    clock.set(T0 + 9.9 * MINUTE);
    const claimed = (await t.call('POST', '/api/work_pools/pool/claim_flow_runs', { worker_name: 'w', limit: 5, prefetch_seconds: 10 })).body;
    expect(claimed.map((c: any) => c.flow_run.expected_start_time)).toEqual([iso(T0), iso(T0 + 10 * MINUTE)]);
    const [s] = (await t.call('GET', `/api/deployments/${d.id}/schedules`)).body;
    await t.call('PATCH', `/api/deployments/${d.id}/schedules/${s.id}`, { slug: 'every-ten', parameters: { name: 'new' } });
    await scheduler.tick();
    await t.call('POST', '/api/deployments/', { name: 'nightly', flow_id: d.flow_id, work_pool_name: 'pool', schedules: [{ schedule: { interval: 600 }, slug: 'renamed' }] });
    await scheduler.tick();
    const slots = runRows(t.store, d.id).map((r) => r.schedule_slot);
    expect(new Set(slots).size).toBe(slots.length);
    expect(slots).toContain(T0 + 10 * MINUTE);
  });
});

describe('idempotency', () => {
  test('three restarts and two redeploys while a minutely schedule is active: no slot has two runs', async () => {
    const path = join(t.dir, 'baton.db');
    const schedules = [{ schedule: { cron: '* * * * *' }, slug: 'minutely' }];
    const d = await createDeployment(t, { schedules });
    await schedulerFor(t.store).tick();
    const deploy = async (store: SqliteStore, extra: Record<string, unknown>) => {
      const app = await buildApp({ store, clock, logger: false });
      const res = await app.inject({ method: 'POST', url: '/api/deployments/', payload: { name: 'nightly', flow_id: d.flow_id, work_pool_name: 'pool', schedules, ...extra } });
      expect(res.statusCode).toBe(200);
      await app.close();
    };
    let store = t.store;
    for (let restart = 1; restart <= 3; restart++) {
      // The server stops for a few minutes, then a new process opens the same file.
      clock.advance(3 * MINUTE + 17_000);
      if (store !== t.store) await store.close();
      store = SqliteStore.open(path, clock);
      // What the server does before it listens, then its scheduler.
      await catchUp(store, { cancellingTimeoutSeconds: 300 }, log as never, clock);
      const scheduler = schedulerFor(store);
      await scheduler.tick();
      clock.advance(30_000);
      await scheduler.tick();
      if (restart <= 2) {
        // A redeploy: the first with the same schedules; the second removes the schedule and
        // adds it back with changed parameters (a new schedule row, with a new id).
        if (restart === 1) await deploy(store, {});
        else {
          await deploy(store, { schedules: [] });
          await deploy(store, { schedules: [{ ...schedules[0], parameters: { name: 'again' } }] });
        }
        await scheduler.tick();
        clock.advance(45_000);
        await scheduler.tick();
      }
    }
    const rows = runRows(store, d.id);
    const slots = rows.map((r) => r.schedule_slot as number);
    expect(new Set(slots).size).toBe(slots.length);
    // Every minute from T0 to an hour past the end has its one run: the outages were shorter
    // than the hour of runs kept ahead, so no slot was missed either.
    expect(slots).toEqual(slots.map((_, i) => T0 + i * MINUTE));
    expect(slots.at(-1)).toBeGreaterThanOrEqual(clock.now() + 60 * MINUTE);
    // The schedule removed and added back is a new row: runs from both rows, still one per slot.
    expect(new Set(rows.map((r) => r.schedule_id)).size).toBe(2);
    if (store !== t.store) await store.close();
  });

  test('the same plan applied twice (a crash between a fill and its cursor update) creates nothing new', async () => {
    const d = await createDeployment(t, { schedules: [{ schedule: { interval: 300 } }] });
    const [due] = await t.store.schedules.due(clock.now(), 10);
    const plan = { slots: [T0, T0 + 5 * MINUTE], cursor: T0 + 10 * MINUTE, refillAt: T0 + 1 };
    expect(await t.store.schedules.fill(due!, plan)).toEqual({ applied: true, created: 2 });
    // A second fill from the same (now stale) read is refused; a fresh one skips taken slots.
    expect(await t.store.schedules.fill(due!, plan)).toEqual({ applied: false, created: 0 });
    await t.store.schedules.reset(d.id);
    const [again] = await t.store.schedules.due(clock.now(), 10);
    expect(await t.store.schedules.fill(again!, plan)).toEqual({ applied: true, created: 0 });
    expect(runRows(t.store, d.id)).toHaveLength(2);
  });
});

describe('parameters', () => {
  test('a schedule whose runs would have invalid parameters makes none; last_error says why, and a fix clears it', async () => {
    // The deployment leaves the required `name` to each run; the schedule forgets it.
    const d = await createDeployment(t, { parameters: {}, schedules: [{ schedule: { interval: 600 }, slug: 'broken' }] });
    const scheduler = schedulerFor(t.store);
    await scheduler.tick();
    expect(runRows(t.store, d.id)).toHaveLength(0);
    const [s] = (await t.call('GET', `/api/deployments/${d.id}/schedules`)).body;
    expect(s.last_error).toBe('invalid parameters: /name: is required');
    expect(logs.some((l) => l.includes("Schedule 'broken'") && l.includes('/name: is required'))).toBe(true);
    // Not retried on every pass.
    logs.length = 0;
    clock.advance(MINUTE);
    await scheduler.tick();
    expect(logs).toEqual([]);
    await t.call('PATCH', `/api/deployments/${d.id}/schedules/${s.id}`, { parameters: { name: 'fixed' } });
    await scheduler.tick();
    expect(runRows(t.store, d.id).length).toBeGreaterThan(0);
    expect((await t.call('GET', `/api/deployments/${d.id}/schedules`)).body[0].last_error).toBeNull();
  });
});

describe('catch-up after the server was down', () => {
  /**
   * A minutely schedule that keeps one run ahead; the server is down from 00:00:30 to 00:10:30, so
   * the slots 00:01 … 00:10 (10 of them) have no run when it comes back.
   */
  async function missTenSlots(catchup: string) {
    const d = await createDeployment(t, { schedules: [{ schedule: { cron: '* * * * *' }, catchup }] });
    const settings = { minRuns: 1, minTimeMs: 0 };
    await schedulerFor(t.store, settings).tick();
    expect(runRows(t.store, d.id).map((r) => r.schedule_slot)).toEqual([T0]);
    clock.set(T0 + 10.5 * MINUTE);
    const back = schedulerFor(t.store, settings);
    await back.tick();
    const slots = runRows(t.store, d.id).map((r) => (r.schedule_slot! - T0) / MINUTE);
    return { d, slots };
  }

  test("'all' makes up all 10 missed slots", async () => {
    const { slots } = await missTenSlots('all');
    expect(slots).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(logs.some((l) => l.includes('missed 10 slot(s)') && l.includes("catch-up 'all' made up 10"))).toBe(true);
  });

  test("'latest' makes up only the most recent one", async () => {
    const { slots } = await missTenSlots('latest');
    expect(slots).toEqual([0, 10, 11]);
  });

  test("'none' makes up none: the next run is the next future slot", async () => {
    const { slots } = await missTenSlots('none');
    expect(slots).toEqual([0, 11]);
  });

  test("'all' is bounded by the max runs setting and by the catch-up window", async () => {
    const d = await createDeployment(t, { schedules: [{ schedule: { cron: '* * * * *' }, catchup: 'all' }] });
    await schedulerFor(t.store, { minRuns: 1, minTimeMs: 0 }).tick();
    clock.set(T0 + 10.5 * MINUTE);
    await schedulerFor(t.store, { minRuns: 1, minTimeMs: 0, maxRuns: 4 }).tick();
    expect(runRows(t.store, d.id).map((r) => (r.schedule_slot! - T0) / MINUTE)).toEqual([0, 7, 8, 9, 10, 11]);
    clock.set(T0 + 60.5 * MINUTE);
    await schedulerFor(t.store, { minRuns: 1, minTimeMs: 0, catchupWindowMs: 3 * MINUTE }).tick();
    expect(runRows(t.store, d.id).map((r) => (r.schedule_slot! - T0) / MINUTE).slice(6)).toEqual([58, 59, 60, 61]);
  });

  test('a long outage on a short interval finds the latest missed slots without listing them all', async () => {
    const d = await createDeployment(t, { schedules: [{ schedule: { interval: 1 }, catchup: 'all' }] });
    await schedulerFor(t.store, { minRuns: 1, minTimeMs: 0 }).tick();
    clock.set(T0 + 3 * 86_400_000 + 500);
    await schedulerFor(t.store, { minRuns: 1, minTimeMs: 0, maxRuns: 3 }).tick();
    const slots = runRows(t.store, d.id).map((r) => r.schedule_slot! - T0);
    expect(slots.slice(1)).toEqual([259_198_000, 259_199_000, 259_200_000, 259_201_000]);
  });

  test('a manual run is never touched by the scheduler', async () => {
    const d = await createDeployment(t, { schedules: [{ schedule: { interval: 600 } }] });
    const manual = await createRun(t, d.id, { state: { type: 'SCHEDULED', state_details: { scheduled_time: iso(T0 + 10 * MINUTE) } } });
    await schedulerFor(t.store).tick();
    await t.call('PATCH', `/api/deployments/${d.id}`, { schedules: [{ schedule: { interval: 300 } }] });
    await schedulerFor(t.store).tick();
    expect((await t.call('GET', `/api/flow_runs/${manual.id}`)).body.state_name).toBe('Scheduled');
  });
});
