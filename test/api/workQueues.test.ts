import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { ManualClock } from '../../src/domain/time.js';
import { testApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeEach(async () => {
  t = await testApp({ clock: 'manual' });
  await t.call('POST', '/api/work_pools/', { name: 'pool' });
});
afterEach(async () => {
  await t.close();
});

const priorities = async (): Promise<Record<string, number>> => {
  const res = await t.call('POST', '/api/work_pools/pool/queues/filter', {});
  return Object.fromEntries(res.body.map((q: { name: string; priority: number }) => [q.name, q.priority]));
};

describe('queues of a pool', () => {
  test('create (201) without a priority takes the next free one; 409 for a duplicate; 404 for a missing pool', async () => {
    const res = await t.call('POST', '/api/work_pools/pool/queues', { name: 'high', description: 'd', concurrency_limit: 2 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'high', priority: 2, work_pool_name: 'pool', concurrency_limit: 2, status: 'NOT_READY' });
    expect((await t.call('POST', '/api/work_pools/pool/queues', { name: 'high' })).status).toBe(409);
    expect((await t.call('POST', '/api/work_pools/nope/queues', { name: 'x' })).status).toBe(404);
  });

  test('an explicit priority pushes the others down and keeps priorities unique', async () => {
    await t.call('POST', '/api/work_pools/pool/queues', { name: 'b' });
    await t.call('POST', '/api/work_pools/pool/queues', { name: 'c' });
    await t.call('POST', '/api/work_pools/pool/queues', { name: 'top', priority: 1 });
    expect(await priorities()).toEqual({ top: 1, default: 2, b: 3, c: 4 });
    await t.call('PATCH', '/api/work_pools/pool/queues/c', { priority: 2 });
    expect(await priorities()).toEqual({ top: 1, c: 2, default: 3, b: 4 });
    const listed = await t.call('POST', '/api/work_pools/pool/queues/filter', {});
    expect(listed.body.map((q: { name: string }) => q.name)).toEqual(['top', 'c', 'default', 'b']);
  });

  test('read by name; 404 names pool and queue', async () => {
    expect((await t.call('GET', '/api/work_pools/pool/queues/default')).body.name).toBe('default');
    const res = await t.call('GET', '/api/work_pools/pool/queues/none');
    expect(res.status).toBe(404);
    expect(res.body.detail).toBe("Work pool queue 'pool/none' not found.");
  });

  test('PATCH pauses, renames and limits; a rename onto another queue is 409', async () => {
    await t.call('POST', '/api/work_pools/pool/queues', { name: 'q' });
    expect((await t.call('PATCH', '/api/work_pools/pool/queues/q', { is_paused: true, concurrency_limit: 1 })).status).toBe(204);
    expect((await t.call('GET', '/api/work_pools/pool/queues/q')).body).toMatchObject({ is_paused: true, status: 'PAUSED', concurrency_limit: 1 });
    expect((await t.call('PATCH', '/api/work_pools/pool/queues/q', { name: 'default' })).status).toBe(409);
    await t.call('PATCH', '/api/work_pools/pool/queues/q', { name: 'renamed' });
    expect((await t.call('GET', '/api/work_pools/pool/queues/renamed')).status).toBe(200);
    expect((await t.call('PATCH', '/api/work_pools/pool/queues/none', { is_paused: true })).status).toBe(404);
  });

  test('DELETE removes a queue and compacts priorities; the default queue cannot be deleted', async () => {
    await t.call('POST', '/api/work_pools/pool/queues', { name: 'a' });
    await t.call('POST', '/api/work_pools/pool/queues', { name: 'b' });
    expect((await t.call('DELETE', '/api/work_pools/pool/queues/a')).status).toBe(204);
    expect(await priorities()).toEqual({ default: 1, b: 2 });
    const res = await t.call('DELETE', '/api/work_pools/pool/queues/default');
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/default queue/);
    expect((await t.call('DELETE', '/api/work_pools/pool/queues/a')).status).toBe(404);
  });

  test('status is READY while polled in the last 60 s', async () => {
    await t.store.workQueues.markPolled('pool', ['default']);
    expect((await t.call('GET', '/api/work_pools/pool/queues/default')).body.status).toBe('READY');
    (t.clock as ManualClock).advance(61_000);
    expect((await t.call('GET', '/api/work_pools/pool/queues/default')).body.status).toBe('NOT_READY');
  });

  test('filter by name prefix', async () => {
    await t.call('POST', '/api/work_pools/pool/queues', { name: 'etl-a' });
    await t.call('POST', '/api/work_pools/pool/queues', { name: 'etl_b' });
    await t.call('POST', '/api/work_pools/pool/queues', { name: 'other' });
    const res = await t.call('POST', '/api/work_pools/pool/queues/filter', { work_queues: { name: { startswith_: ['etl-'] } } });
    expect(res.body.map((q: { name: string }) => q.name)).toEqual(['etl-a']);
  });
});

describe('legacy /api/work_queues reads', () => {
  test('by id, by name, filter, status; 404s', async () => {
    const pool = (await t.call('GET', '/api/work_pools/pool')).body;
    const byId = await t.call('GET', `/api/work_queues/${pool.default_queue_id}`);
    expect(byId.body).toMatchObject({ name: 'default', work_pool_name: 'pool' });
    expect((await t.call('GET', '/api/work_queues/name/default')).body.id).toBe(pool.default_queue_id);
    expect((await t.call('POST', '/api/work_queues/filter', {})).body).toHaveLength(1);
    const status = await t.call('GET', `/api/work_queues/${pool.default_queue_id}/status`);
    expect(status.body).toMatchObject({ healthy: false, late_runs_count: 0, last_polled: null });
    await t.store.workQueues.markPolled('pool', []);
    expect((await t.call('GET', `/api/work_queues/${pool.default_queue_id}/status`)).body.healthy).toBe(true);
    expect((await t.call('GET', '/api/work_queues/00000000-0000-7000-8000-000000000000')).status).toBe(404);
    expect((await t.call('GET', '/api/work_queues/not-a-uuid')).status).toBe(422);
    expect((await t.call('GET', '/api/work_queues/name/none')).status).toBe(404);
  });
});
