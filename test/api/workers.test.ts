import { afterEach, beforeEach, expect, test } from 'vitest';
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

test('a heartbeat registers the worker (204) and a second one updates it', async () => {
  expect((await t.call('POST', '/api/work_pools/pool/workers/heartbeat', { name: 'w1', heartbeat_interval_seconds: 5 })).status).toBe(204);
  (t.clock as ManualClock).advance(1000);
  await t.call('POST', '/api/work_pools/pool/workers/heartbeat', { name: 'w1', heartbeat_interval_seconds: 5 });
  const workers = (await t.call('POST', '/api/work_pools/pool/workers/filter', {})).body;
  expect(workers).toHaveLength(1);
  expect(workers[0]).toMatchObject({ name: 'w1', status: 'ONLINE', heartbeat_interval_seconds: 5 });
  expect(workers[0].last_heartbeat_time).toBe(new Date((t.clock as ManualClock).now()).toISOString());
});

test('Prefect clients may send return_id and metadata; a missing pool is 404; a bad name is 422', async () => {
  expect((await t.call('POST', '/api/work_pools/pool/workers/heartbeat', { name: 'w', return_id: true, metadata: {} })).status).toBe(204);
  expect((await t.call('POST', '/api/work_pools/none/workers/heartbeat', { name: 'w' })).status).toBe(404);
  expect((await t.call('POST', '/api/work_pools/pool/workers/heartbeat', { name: 'a/b' })).status).toBe(422);
  expect((await t.call('POST', '/api/work_pools/pool/workers/heartbeat', {})).status).toBe(422);
});

test('ONLINE iff the last heartbeat is within 3× its interval; status filters; newest first', async () => {
  await t.call('POST', '/api/work_pools/pool/workers/heartbeat', { name: 'old', heartbeat_interval_seconds: 10 });
  (t.clock as ManualClock).advance(25_000);
  await t.call('POST', '/api/work_pools/pool/workers/heartbeat', { name: 'new', heartbeat_interval_seconds: 10 });
  (t.clock as ManualClock).advance(6_000);
  const all = (await t.call('POST', '/api/work_pools/pool/workers/filter', {})).body;
  expect(all.map((w: { name: string; status: string }) => `${w.name}:${w.status}`)).toEqual(['new:ONLINE', 'old:OFFLINE']);
  const online = (await t.call('POST', '/api/work_pools/pool/workers/filter', { workers: { status: { any_: ['ONLINE'] } } })).body;
  expect(online.map((w: { name: string }) => w.name)).toEqual(['new']);
  const offline = (await t.call('POST', '/api/work_pools/pool/workers/filter', { workers: { status: { not_any_: ['ONLINE'] } } })).body;
  expect(offline.map((w: { name: string }) => w.name)).toEqual(['old']);
});

test('DELETE a worker: 204, then 404', async () => {
  await t.call('POST', '/api/work_pools/pool/workers/heartbeat', { name: 'w' });
  expect((await t.call('DELETE', '/api/work_pools/pool/workers/w')).status).toBe(204);
  expect((await t.call('DELETE', '/api/work_pools/pool/workers/w')).status).toBe(404);
  expect((await t.call('POST', '/api/work_pools/none/workers/filter', {})).status).toBe(404);
});
