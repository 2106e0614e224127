import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { ManualClock } from '../../src/domain/time.js';
import { Scheduler } from '../../src/server/services/scheduler.js';
import { DEFAULT_SCHEDULER } from '../../src/server/services/index.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { createDeployment, createPool, createRun } from '../helpers/objects.js';

/** The `/deployments/{id}/schedules` endpoints, and what schedule changes do to runs. */
let t: TestApp;
let clock: ManualClock;
let scheduler: Scheduler;
const logs: string[] = [];
const T0 = Date.parse('2026-01-01T00:00:00Z');
const MINUTE = 60_000;

beforeEach(async () => {
  t = await testApp({ clock: 'manual' });
  clock = t.clock as ManualClock;
  logs.length = 0;
  const log = { info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m), error: (_: unknown, m?: string) => logs.push(m ?? '') };
  scheduler = new Scheduler(t.store, clock, DEFAULT_SCHEDULER, log);
  await createPool(t);
});
afterEach(async () => {
  scheduler.close();
  await t.close();
});

const schedulesOf = async (id: string) => (await t.call('GET', `/api/deployments/${id}/schedules`)).body;
async function runsOf(deploymentId: string) {
  return (await t.call('POST', '/api/flow_runs/filter', { deployments: { id: { any_: [deploymentId] } }, sort: 'EXPECTED_START_TIME_ASC' })).body as any[];
}

describe('create, read, update, delete', () => {
  test('POST answers 201 with each schedule: defaults, next_fire_time, catch-up and max_active_runs', async () => {
    const d = await createDeployment(t);
    const res = await t.call('POST', `/api/deployments/${d.id}/schedules`, [
      { schedule: { cron: '0 9 * * *', timezone: 'America/New_York' }, slug: 'morning', max_active_runs: 1 },
      { schedule: { interval: 3600 }, catchup: 'all', active: false },
    ]);
    expect(res.status).toBe(201);
    expect(res.body).toHaveLength(2);
    expect(res.body[0]).toMatchObject({
      deployment_id: d.id,
      schedule: { cron: '0 9 * * *', timezone: 'America/New_York', day_or: true },
      active: true,
      slug: 'morning',
      catchup: 'latest',
      max_active_runs: 1,
      parameters: {},
      // 09:00 in New York on 1 January is 14:00 UTC.
      next_fire_time: '2026-01-01T14:00:00.000Z',
      last_error: null,
    });
    expect(res.body[1]).toMatchObject({ active: false, catchup: 'all', max_active_runs: null, next_fire_time: null });
    const listed = await schedulesOf(d.id);
    expect(listed.map((s: any) => s.id)).toEqual(res.body.map((s: any) => s.id));
    // The deployment shows the same schedules.
    expect((await t.call('GET', `/api/deployments/${d.id}`)).body.schedules.map((s: any) => s.slug)).toEqual(['morning', null]);
  });

  test('a duplicate slug is 409; missing deployment or schedule 404; a bad expression or zone 422 naming it', async () => {
    const d = await createDeployment(t);
    await t.call('POST', `/api/deployments/${d.id}/schedules`, [{ schedule: { interval: 60 }, slug: 'a' }]);
    const dup = await t.call('POST', `/api/deployments/${d.id}/schedules`, [{ schedule: { interval: 60 }, slug: 'a' }]);
    expect(dup.status).toBe(409);
    expect(dup.body.detail).toBe('Schedule slugs must be unique within a deployment.');
    expect((await t.call('POST', `/api/deployments/${d.id}/schedules`, [{ schedule: { interval: 60 }, slug: 'b' }, { schedule: { interval: 90 }, slug: 'b' }])).status).toBe(409);
    const missing = '00000000-0000-7000-8000-000000000000';
    expect((await t.call('GET', `/api/deployments/${missing}/schedules`)).status).toBe(404);
    expect((await t.call('POST', `/api/deployments/${missing}/schedules`, [{ schedule: { interval: 60 } }])).status).toBe(404);
    const noSchedule = await t.call('PATCH', `/api/deployments/${d.id}/schedules/${missing}`, { active: false });
    expect(noSchedule.status).toBe(404);
    expect(noSchedule.body.detail).toBe('Schedule not found.');
    expect((await t.call('DELETE', `/api/deployments/${d.id}/schedules/${missing}`)).status).toBe(404);

    const dupInDeploy = await t.call('PATCH', `/api/deployments/${d.id}`, { schedules: [{ schedule: { interval: 60 }, slug: 'x' }, { schedule: { interval: 90 }, slug: 'x' }] });
    expect(dupInDeploy.status).toBe(409);
    const badCron = await t.call('POST', `/api/deployments/${d.id}/schedules`, [{ schedule: { cron: '61 * * * *' } }]);
    expect(badCron.status).toBe(422);
    expect(JSON.stringify(badCron.body.exception_detail)).toMatch(/'61 \* \* \* \*' is invalid/);
    const badZone = await t.call('POST', `/api/deployments/${d.id}/schedules`, [{ schedule: { cron: '0 9 * * *', timezone: 'Mars/Olympus' } }]);
    expect(badZone.status).toBe(422);
    expect(JSON.stringify(badZone.body.exception_detail)).toMatch(/'Mars\/Olympus' is not an IANA time zone/);
    const badPolicy = await t.call('POST', `/api/deployments/${d.id}/schedules`, [{ schedule: { interval: 60 }, catchup: 'some' }]);
    expect(badPolicy.status).toBe(422);
    expect((await t.call('POST', `/api/deployments/${d.id}/schedules`, [{ schedule: { interval: 60 }, max_active_runs: 0 }])).status).toBe(422);
    // Schedule parameters are checked against the flow's parameter schema.
    const badParams = await t.call('POST', `/api/deployments/${d.id}/schedules`, [{ schedule: { interval: 60 }, parameters: { count: 'x' } }]);
    expect(badParams.status).toBe(422);
    expect(badParams.body.exception_detail[0].loc).toEqual(['body', 0, 'parameters', 'count']);
  });

  test('PATCH changes only the given fields; a slug taken by another schedule is 409; DELETE removes it', async () => {
    const d = await createDeployment(t);
    const [a, b] = (await t.call('POST', `/api/deployments/${d.id}/schedules`, [
      { schedule: { interval: 60 }, slug: 'a' },
      { schedule: { interval: 120 }, slug: 'b' },
    ])).body;
    expect((await t.call('PATCH', `/api/deployments/${d.id}/schedules/${a.id}`, { catchup: 'none', max_active_runs: 2 })).status).toBe(204);
    expect((await t.call('PATCH', `/api/deployments/${d.id}/schedules/${a.id}`, { slug: 'b' })).status).toBe(409);
    const [changed] = await schedulesOf(d.id);
    expect(changed).toMatchObject({ id: a.id, slug: 'a', catchup: 'none', max_active_runs: 2, schedule: { interval: 60 } });
    expect((await t.call('DELETE', `/api/deployments/${d.id}/schedules/${b.id}`)).status).toBe(204);
    expect((await schedulesOf(d.id)).map((s: any) => s.slug)).toEqual(['a']);
  });

  test('schedules given on deployment create and PATCH are stored with their catch-up and max_active_runs', async () => {
    const d = await createDeployment(t, { schedules: [{ schedule: { interval: 600 }, catchup: 'none', max_active_runs: 3, parameters: { count: 1 } }] });
    expect(d.schedules[0]).toMatchObject({ catchup: 'none', max_active_runs: 3, parameters: { count: 1 }, next_fire_time: '2026-01-01T00:00:00.000Z' });
    await t.call('PATCH', `/api/deployments/${d.id}`, { schedules: [{ schedule: { cron: '*/5 * * * *' } }] });
    expect(await schedulesOf(d.id)).toMatchObject([{ schedule: { cron: '*/5 * * * *' }, catchup: 'latest', max_active_runs: null }]);
  });
});

describe('what schedule changes do to runs', () => {
  test('a change replaces only future auto-scheduled runs that have not started; started, overdue and manual runs stay', async () => {
    const d = await createDeployment(t, { schedules: [{ schedule: { interval: 600 }, slug: 'ten' }] });
    await scheduler.tick();
    const before = await runsOf(d.id);
    // 1 hour ahead at 10-minute steps: 00:00 … 01:00.
    expect(before).toHaveLength(7);
    const manual = await createRun(t, d.id, { state: { type: 'SCHEDULED', state_details: { scheduled_time: '2026-01-01T00:30:00Z' } } });
    clock.set(T0 + 15 * MINUTE);
    // The 00:00 run is overdue and waiting; the 00:10 one started.
    const started = before[1];
    await t.call('POST', '/api/work_pools/pool/workers/heartbeat', { name: 'w' });
    await t.call('POST', `/api/flow_runs/${started.id}/set_state`, { state: { type: 'PENDING' } });
    await t.call('POST', `/api/flow_runs/${started.id}/set_state`, { state: { type: 'RUNNING' } });

    const [schedule] = await schedulesOf(d.id);
    expect((await t.call('PATCH', `/api/deployments/${d.id}/schedules/${schedule.id}`, { parameters: { count: 7 } })).status).toBe(204);
    const kept = (await runsOf(d.id)).filter((r) => r.id !== manual.id);
    expect(kept.map((r) => r.id)).toEqual([before[0].id, started.id]);

    await scheduler.tick();
    const after = await runsOf(d.id);
    const renewed = after.filter((r) => r.auto_scheduled && r.id !== before[0].id && r.id !== started.id);
    // Slots 00:20 … 01:20 again, now with the new parameters.
    expect(renewed.map((r) => r.expected_start_time)).toEqual([20, 30, 40, 50, 60, 70, 80].map((m) => new Date(T0 + m * MINUTE).toISOString()));
    expect(renewed.every((r) => r.parameters.count === 7)).toBe(true);
    expect(after.some((r) => r.id === manual.id)).toBe(true);
    expect((await t.call('GET', `/api/flow_runs/${started.id}`)).body.state_type).toBe('RUNNING');
  });

  test('deleting a schedule deletes its runs that never started, late ones included', async () => {
    const d = await createDeployment(t, { schedules: [{ schedule: { interval: 600 }, slug: 'ten' }, { schedule: { interval: 3600 }, slug: 'hourly' }] });
    await scheduler.tick();
    const [ten, hourly] = await schedulesOf(d.id);
    clock.set(T0 + 25 * MINUTE);
    await t.call('DELETE', `/api/deployments/${d.id}/schedules/${ten.id}`);
    const left = await runsOf(d.id);
    expect(left.length).toBeGreaterThan(0);
    expect(left.every((r) => r.created_by.id === hourly.id)).toBe(true);
  });

  test('pausing the deployment removes its auto-scheduled runs and next_fire_time; resuming refills them', async () => {
    const d = await createDeployment(t, { schedules: [{ schedule: { interval: 900 } }] });
    await scheduler.tick();
    expect(await runsOf(d.id)).toHaveLength(5);
    const manual = await createRun(t, d.id);
    await t.call('POST', `/api/deployments/${d.id}/pause_deployment`);
    await scheduler.tick();
    expect((await runsOf(d.id)).map((r) => r.id)).toEqual([manual.id]);
    expect((await schedulesOf(d.id))[0].next_fire_time).toBeNull();

    clock.set(T0 + 20 * MINUTE);
    await t.call('POST', `/api/deployments/${d.id}/resume_deployment`);
    await scheduler.tick();
    const auto = (await runsOf(d.id)).filter((r) => r.auto_scheduled);
    // From the resume on; the slots missed while paused are not made up.
    expect(auto.map((r) => r.expected_start_time)).toEqual([30, 45, 60, 75, 90].map((m) => new Date(T0 + m * MINUTE).toISOString()));
    expect((await schedulesOf(d.id))[0].next_fire_time).toBe(new Date(T0 + 30 * MINUTE).toISOString());
  });

  test('an inactive schedule makes no runs; activating it makes them', async () => {
    const d = await createDeployment(t);
    const [s] = (await t.call('POST', `/api/deployments/${d.id}/schedules`, [{ schedule: { interval: 1200 }, active: false }])).body;
    await scheduler.tick();
    expect(await runsOf(d.id)).toHaveLength(0);
    await t.call('PATCH', `/api/deployments/${d.id}/schedules/${s.id}`, { active: true });
    await scheduler.tick();
    expect(await runsOf(d.id)).toHaveLength(4);
    await t.call('PATCH', `/api/deployments/${d.id}/schedules/${s.id}`, { active: false });
    expect(await runsOf(d.id)).toHaveLength(0);
  });
});
