import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { ManualClock } from '../../src/domain/time.js';
import { catchUp, DEFAULT_SCHEDULER } from '../../src/server/services/index.js';
import { markLateRuns } from '../../src/server/services/lateRuns.js';
import { Scheduler } from '../../src/server/services/scheduler.js';
import { DUE_RUNS } from '../../src/store/sqlite/dueRuns.js';
import { DUE_SCHEDULES } from '../../src/store/sqlite/schedules.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { createDeployment, createPool, createRun, setState } from '../helpers/objects.js';

/** The late-runs sweep: Late, AwaitingConcurrencySlot, and catch-up of runs nobody started. */
let t: TestApp;
let clock: ManualClock;
let scheduler: Scheduler;
const logs: string[] = [];
const log = { info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m), error: (_: unknown, m?: string) => logs.push(m ?? '') };
const T0 = Date.parse('2026-01-01T00:00:00Z');
const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

beforeEach(async () => {
  t = await testApp({ clock: 'manual' });
  clock = t.clock as ManualClock;
  logs.length = 0;
  scheduler = new Scheduler(t.store, clock, DEFAULT_SCHEDULER, log);
  await createPool(t);
});
afterEach(async () => {
  scheduler.close();
  await t.close();
});

const sweep = () => markLateRuns(t.store, { lateAfterSeconds: 15 }, log);
const read = async (id: string) => (await t.call('GET', `/api/flow_runs/${id}`)).body;
const claim = async (worker = 'w', extra: Record<string, unknown> = {}) =>
  (await t.call('POST', '/api/work_pools/pool/claim_flow_runs', { worker_name: worker, limit: 10, ...extra })).body as any[];
async function runsOf(deploymentId: string) {
  return (await t.call('POST', '/api/flow_runs/filter', { deployments: { id: { any_: [deploymentId] } }, sort: 'EXPECTED_START_TIME_ASC' })).body as any[];
}

describe('Late', () => {
  test('a Scheduled run 15 s past its time becomes Late through the state path; it keeps its time and is still claimed', async () => {
    const d = await createDeployment(t);
    const run = await createRun(t, d.id);
    clock.advance(14_999);
    expect(await sweep()).toBe(0);
    clock.advance(1);
    expect(await sweep()).toBe(1);
    const late = await read(run.id);
    expect(late).toMatchObject({ state_type: 'SCHEDULED', state_name: 'Late', next_scheduled_start_time: iso(T0) });
    expect(late.state.state_details.scheduled_time).toBe(iso(T0));
    const states = (await t.call('GET', `/api/flow_run_states/?flow_run_id=${run.id}`)).body;
    expect(states.map((s: any) => s.name)).toEqual(['Scheduled', 'Late']);
    // Not looked at again.
    expect(await sweep()).toBe(0);
    expect((await claim()).map((c) => c.flow_run.id)).toEqual([run.id]);
  });

  test('only from Scheduled: AwaitingRetry, AwaitingConcurrencySlot and claimed runs are never marked Late', async () => {
    const d = await createDeployment(t);
    const claimed = await createRun(t, d.id);
    // A claimed run is PENDING, never Late.
    expect((await claim('w', { limit: 1 })).map((c) => c.flow_run.id)).toEqual([claimed.id]);
    const retry = await createRun(t, d.id);
    await setState(t, retry.id, { type: 'SCHEDULED', name: 'AwaitingRetry', state_details: { scheduled_time: iso(T0) } }, { force: true });
    const waiting = await createRun(t, d.id);
    await setState(t, waiting.id, { type: 'SCHEDULED', name: 'AwaitingConcurrencySlot', state_details: { scheduled_time: iso(T0) } }, { force: true });
    clock.advance(MINUTE);
    expect(await sweep()).toBe(0);
    expect((await read(retry.id)).state_name).toBe('AwaitingRetry');
    expect((await read(waiting.id)).state_name).toBe('AwaitingConcurrencySlot');
    expect((await read(claimed.id)).state_type).toBe('PENDING');
    // A Late proposal through the API is refused for a run that is not Scheduled.
    const refused = await setState(t, retry.id, { type: 'SCHEDULED', name: 'Late' });
    expect(refused.body.status).toBe('REJECT');
  });

  test('a run held by a full deployment concurrency limit waits as AwaitingConcurrencySlot, not Late, keeping its time', async () => {
    const d = await createDeployment(t, { concurrency_limit: 1 });
    const first = await createRun(t, d.id);
    const second = await createRun(t, d.id);
    expect((await claim('w', { limit: 1 })).map((c) => c.flow_run.id)).toEqual([first.id]);
    clock.advance(20_000);
    await sweep();
    expect(await read(second.id)).toMatchObject({ state_name: 'AwaitingConcurrencySlot', next_scheduled_start_time: iso(T0) });
    expect((await read(second.id)).state.message).toBe("Waiting: the deployment's concurrency limit (1) is reached.");
    // The long-poll's wake-up time skips the held run (it would otherwise wake in a loop).
    expect(await t.store.flowRuns.nextDueTime('pool', [])).toBeNull();
    await setState(t, first.id, { type: 'RUNNING' });
    await setState(t, first.id, { type: 'COMPLETED' });
    expect((await claim()).map((c) => c.flow_run.id)).toEqual([second.id]);
  });
});

describe('max_active_runs', () => {
  test('while that many runs of the schedule are active, its further due runs wait (not claimed, not Late)', async () => {
    const d = await createDeployment(t, { schedules: [{ schedule: { interval: 60 }, slug: 'minutely', max_active_runs: 1 }] });
    await scheduler.tick();
    const [first] = await claim();
    expect(first.flow_run.expected_start_time).toBe(iso(T0));
    await setState(t, first.flow_run.id, { type: 'RUNNING' }, { claim_token: first.claim_token });
    // 00:01 is due but the schedule's one run is still running.
    clock.set(T0 + MINUTE + 20_000);
    expect(await claim('w', { prefetch_seconds: 10 })).toEqual([]);
    expect(await t.store.flowRuns.nextDueTime('pool', [])).toBeNull();
    await sweep();
    const [, second] = await runsOf(d.id);
    expect(second).toMatchObject({ state_name: 'AwaitingConcurrencySlot', next_scheduled_start_time: iso(T0 + MINUTE) });
    expect(second.state.message).toBe("Waiting: schedule 'minutely' has 1 active run(s), its max_active_runs is 1.");
    // A manual run of the deployment is not held by the schedule's limit.
    const manual = await createRun(t, d.id);
    expect((await claim()).map((c) => c.flow_run.id)).toEqual([manual.id]);
    await setState(t, first.flow_run.id, { type: 'COMPLETED' }, { claim_token: first.claim_token });
    // One at a time, oldest first.
    expect((await claim()).map((c) => c.flow_run.id)).toEqual([second.id]);
  });

  test('a schedule edited while its run is active is the same schedule: that run still holds its max_active_runs', async () => {
    const d = await createDeployment(t, { schedules: [{ schedule: { interval: 60 }, max_active_runs: 1 }] });
    const scheduleId = d.schedules[0].id;
    await scheduler.tick();
    const [first] = await claim();
    await setState(t, first.flow_run.id, { type: 'RUNNING' }, { claim_token: first.claim_token });
    // A redeploy with another interval and no slug: the one schedule, changed, keeps its id.
    const redeployed = await createDeployment(t, { schedules: [{ schedule: { interval: 120 }, max_active_runs: 1 }] });
    expect(redeployed.schedules.map((s: any) => s.id)).toEqual([scheduleId]);
    await scheduler.tick();
    clock.set(T0 + 2 * MINUTE + 20_000);
    expect(await claim('w', { prefetch_seconds: 10 })).toEqual([]);
    await setState(t, first.flow_run.id, { type: 'COMPLETED' }, { claim_token: first.claim_token });
    const [next] = await claim();
    expect(next.flow_run.expected_start_time).toBe(iso(T0 + 2 * MINUTE));
  });

  test('a claim never takes more runs of a schedule than it may still start', async () => {
    await createDeployment(t, { schedules: [{ schedule: { interval: 60 }, max_active_runs: 2 }] });
    await scheduler.tick();
    clock.set(T0 + 5 * MINUTE);
    expect(await claim()).toHaveLength(2);
    expect(await claim()).toHaveLength(0);
  });
});

describe('catch-up of runs nobody started (no worker up)', () => {
  /** A minutely schedule with its runs made an hour ahead; no worker for 9.5 minutes: 10 slots (00:00 … 00:09) missed. */
  async function noWorkerForTenSlots(catchup: string) {
    const d = await createDeployment(t, { schedules: [{ schedule: { cron: '* * * * *' }, catchup }] });
    await scheduler.tick();
    for (let s = 0; s <= 570; s += 5) {
      clock.set(T0 + s * 1000);
      await sweep();
    }
    const runs = await runsOf(d.id);
    const missed = runs.filter((r) => Date.parse(r.expected_start_time) <= T0 + 9 * MINUTE);
    expect(missed).toHaveLength(10);
    const left = missed.filter((r) => r.state_type === 'SCHEDULED');
    return { d, missed, left };
  }

  test("'all': all 10 are left to run, marked Late", async () => {
    const { left } = await noWorkerForTenSlots('all');
    expect(left).toHaveLength(10);
    expect(left.every((r) => r.state_name === 'Late')).toBe(true);
  });

  test("'latest': only the most recent is left; the older ones are cancelled with a message", async () => {
    const { missed, left } = await noWorkerForTenSlots('latest');
    expect(left.map((r) => r.expected_start_time)).toEqual([iso(T0 + 9 * MINUTE)]);
    const skipped = missed.filter((r) => r.state_type === 'CANCELLED');
    expect(skipped).toHaveLength(9);
    expect(skipped[0].state.message).toBe(
      "Skipped by the schedule's catch-up policy 'latest': a newer run of it (scheduled for 2026-01-01T00:01:00.000Z) is due.",
    );
    // A worker that comes back now runs the latest missed run and then the next ones on time.
    const claimed = await claim('w', { prefetch_seconds: 10 });
    expect(claimed.map((c) => c.flow_run.expected_start_time)).toEqual([iso(T0 + 9 * MINUTE)]);
  });

  test("'latest' cancels the older run as soon as a newer one is due, not 15 s later", async () => {
    const d = await createDeployment(t, { schedules: [{ schedule: { cron: '* * * * *' } }] });
    await scheduler.tick();
    clock.set(T0 + 20_000);
    await sweep();
    clock.set(T0 + MINUTE);
    await sweep();
    const [older, newer] = await runsOf(d.id);
    expect(older.state_type).toBe('CANCELLED');
    expect(newer.state_name).toBe('Scheduled');
  });

  test("'latest' leaves runs that are only a little behind (a busy worker) to start in order", async () => {
    const d = await createDeployment(t, { schedules: [{ schedule: { interval: 2 } }] });
    await scheduler.tick();
    clock.set(T0 + 4_000);
    await sweep();
    const due = (await runsOf(d.id)).filter((r) => Date.parse(r.expected_start_time) <= clock.now());
    expect(due.map((r) => r.state_name)).toEqual(['Scheduled', 'Scheduled', 'Scheduled']);
  });

  test("'none': none of them is left", async () => {
    const { missed, left } = await noWorkerForTenSlots('none');
    expect(left).toHaveLength(0);
    expect(missed[0].state.message).toBe("Skipped by the schedule's catch-up policy 'none': not started within 15s of its scheduled time.");
    expect(logs.some((l) => l.startsWith('Skipped 1 missed scheduled run(s)'))).toBe(true);
  });

  test("'none' with max_active_runs 1 skips a run that would overlap the running one (no queue of runs)", async () => {
    const d = await createDeployment(t, { schedules: [{ schedule: { interval: 60 }, catchup: 'none', max_active_runs: 1 }] });
    await scheduler.tick();
    const [first] = await claim();
    clock.set(T0 + MINUTE + 15_000);
    await sweep();
    const [, second] = await runsOf(d.id);
    expect(second.state_type).toBe('CANCELLED');
    expect(first.flow_run.id).not.toBe(second.id);
  });

  test('a manual run is only ever marked Late, whatever the schedules', async () => {
    const d = await createDeployment(t, { schedules: [{ schedule: { cron: '* * * * *' }, catchup: 'none' }] });
    const manual = await createRun(t, d.id);
    clock.set(T0 + 5 * MINUTE);
    await sweep();
    expect((await read(manual.id)).state_name).toBe('Late');
  });
});

test('after a restart, catch-up runs before requests: the scheduler makes the latest missed run, older waiting ones are skipped', async () => {
  const d = await createDeployment(t, { schedules: [{ schedule: { cron: '*/10 * * * *' } }] });
  await scheduler.tick();
  // Down from 00:00:01 until 02:05: runs existed until 01:00; 01:10 … 02:00 have none.
  clock.set(T0 + 125 * MINUTE);
  await catchUp(t.store, { cancellingTimeoutSeconds: 300 }, log as never, clock);
  const runs = await runsOf(d.id);
  const waiting = runs.filter((r) => r.state_type === 'SCHEDULED');
  expect(waiting[0].expected_start_time).toBe(iso(T0 + 120 * MINUTE));
  expect(waiting[0].state_name).toBe('Late');
  expect(waiting.slice(1).every((r) => Date.parse(r.expected_start_time) > clock.now())).toBe(true);
  expect(runs.filter((r) => r.state_type === 'CANCELLED')).toHaveLength(7);
  expect(runs.some((r) => r.expected_start_time === iso(T0 + 110 * MINUTE))).toBe(false);
});

test('the sweep and the scheduler read their indexes: only due runs, only due schedules', () => {
  const plan = (sql: string) => (t.store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(0, 10) as { detail: string }[]).map((r) => r.detail);
  expect(plan(DUE_RUNS)[0]).toBe('SEARCH r USING INDEX ix_flow_run_due_scheduled (next_scheduled_start_time<?)');
  expect(plan(DUE_SCHEDULES)[0]).toMatch(/^SEARCH s USING INDEX ix_deployment_schedule_refill \(refill_at/);
});
