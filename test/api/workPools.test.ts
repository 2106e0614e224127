import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(async () => {
  await t.close();
});

describe('POST /api/work_pools/', () => {
  test('creates a process pool with the default template and a default queue of priority 1', async () => {
    const res = await t.call('POST', '/api/work_pools/', { name: 'my-process-pool', type: 'process' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'my-process-pool', type: 'process', is_paused: false, status: 'NOT_READY' });
    expect(Object.keys(res.body.base_job_template.job_configuration).sort()).toEqual(
      ['command', 'env', 'labels', 'name', 'stream_output', 'working_dir'],
    );
    expect(res.body.base_job_template.variables.properties.stream_output.default).toBe(true);
    const queues = await t.call('POST', '/api/work_pools/my-process-pool/queues/filter', {});
    expect(queues.body).toHaveLength(1);
    expect(queues.body[0]).toMatchObject({ name: 'default', priority: 1, id: res.body.default_queue_id });
  });

  test('a paused pool starts PAUSED', async () => {
    const res = await t.call('POST', '/api/work_pools/', { name: 'p', is_paused: true });
    expect(res.body.status).toBe('PAUSED');
  });

  test('a duplicate name is 409', async () => {
    await t.call('POST', '/api/work_pools/', { name: 'dup' });
    const res = await t.call('POST', '/api/work_pools/', { name: 'dup' });
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/already exists/);
  });

  test('names starting with prefect are reserved (403), in any case', async () => {
    for (const name of ['prefect-pool', 'Prefect']) {
      const res = await t.call('POST', '/api/work_pools/', { name });
      expect(res.status).toBe(403);
    }
  });

  test('an unknown type, a bad name or a negative limit is 422 naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ name: 'a', type: 'kubernetes' }, 'type'],
      [{ name: 'a/b' }, 'name'],
      [{ name: '' }, 'name'],
      [{ name: 'a', concurrency_limit: -1 }, 'concurrency_limit'],
    ];
    for (const [body, field] of cases) {
      const res = await t.call('POST', '/api/work_pools/', body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.exception_detail.map((d: { loc: string[] }) => d.loc.join('.'))).toContain(`body.${field}`);
    }
  });

  test('a template placeholder without a variable is 422', async () => {
    const res = await t.call('POST', '/api/work_pools/', {
      name: 'x',
      base_job_template: { job_configuration: { command: '{{ nope }}' }, variables: { properties: {} } },
    });
    expect(res.status).toBe(422);
    expect(res.body.detail).toMatch(/nope/);
  });

  test('a template default that breaks its own schema is 422', async () => {
    const res = await t.call('POST', '/api/work_pools/', {
      name: 'x',
      base_job_template: {
        job_configuration: { stream_output: '{{ stream_output }}' },
        variables: { properties: { stream_output: { type: 'boolean', default: 'yes' } } },
      },
    });
    expect(res.status).toBe(422);
  });
});

describe('reading and listing pools', () => {
  test('GET by name, 404 for a missing one', async () => {
    await t.call('POST', '/api/work_pools/', { name: 'a' });
    expect((await t.call('GET', '/api/work_pools/a')).body.name).toBe('a');
    const missing = await t.call('GET', '/api/work_pools/zzz');
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toBe('Work pool "zzz" not found.');
  });

  test('filter lists by name, honours the name filter, limit and offset; count agrees', async () => {
    for (const name of ['c', 'a', 'b']) await t.call('POST', '/api/work_pools/', { name });
    const all = await t.call('POST', '/api/work_pools/filter', {});
    expect(all.body.map((p: { name: string }) => p.name)).toEqual(['a', 'b', 'c']);
    const some = await t.call('POST', '/api/work_pools/filter', { work_pools: { name: { any_: ['b', 'c'] } } });
    expect(some.body.map((p: { name: string }) => p.name)).toEqual(['b', 'c']);
    const page = await t.call('POST', '/api/work_pools/filter', { limit: 1, offset: 1 });
    expect(page.body.map((p: { name: string }) => p.name)).toEqual(['b']);
    expect((await t.call('POST', '/api/work_pools/count', {})).body).toBe(3);
    expect((await t.call('POST', '/api/work_pools/count', { work_pools: { name: { any_: ['a'] } } })).body).toBe(1);
  });

  test('a limit above 200 or below 0 is 422', async () => {
    expect((await t.call('POST', '/api/work_pools/filter', { limit: 201 })).status).toBe(422);
    expect((await t.call('POST', '/api/work_pools/filter', { limit: -1 })).status).toBe(422);
    expect((await t.call('POST', '/api/work_pools/filter', { offset: -1 })).status).toBe(422);
  });
});

describe('PATCH and DELETE /api/work_pools/{name}', () => {
  test('pause, resume, concurrency limit and description change only what is given', async () => {
    await t.call('POST', '/api/work_pools/', { name: 'p', description: 'keep me' });
    expect((await t.call('PATCH', '/api/work_pools/p', { is_paused: true })).status).toBe(204);
    let pool = (await t.call('GET', '/api/work_pools/p')).body;
    expect(pool).toMatchObject({ is_paused: true, status: 'PAUSED', description: 'keep me' });
    await t.call('PATCH', '/api/work_pools/p', { is_paused: false, concurrency_limit: 3 });
    pool = (await t.call('GET', '/api/work_pools/p')).body;
    expect(pool).toMatchObject({ is_paused: false, status: 'NOT_READY', concurrency_limit: 3, active_slots: 0 });
    await t.call('PATCH', '/api/work_pools/p', { concurrency_limit: null });
    expect((await t.call('GET', '/api/work_pools/p')).body.concurrency_limit).toBeNull();
  });

  test('PATCH of a missing pool is 404; an invalid template is 422; an unknown field is 422', async () => {
    expect((await t.call('PATCH', '/api/work_pools/none', { is_paused: true })).status).toBe(404);
    await t.call('POST', '/api/work_pools/', { name: 'p' });
    const bad = await t.call('PATCH', '/api/work_pools/p', { base_job_template: { job_configuration: {} } });
    expect(bad.status).toBe(422);
    expect((await t.call('PATCH', '/api/work_pools/p', { name: 'renamed' })).status).toBe(422);
  });

  test('DELETE removes the pool with its queues and workers; 404 afterwards', async () => {
    await t.call('POST', '/api/work_pools/', { name: 'p' });
    await t.call('POST', '/api/work_pools/p/queues', { name: 'q' });
    await t.call('POST', '/api/work_pools/p/workers/heartbeat', { name: 'w' });
    expect((await t.call('DELETE', '/api/work_pools/p')).status).toBe(204);
    expect((await t.call('GET', '/api/work_pools/p')).status).toBe(404);
    expect((await t.call('DELETE', '/api/work_pools/p')).status).toBe(404);
    const leftovers = t.store.db.prepare('SELECT (SELECT count(*) FROM work_queue) + (SELECT count(*) FROM worker) AS n').get() as { n: number };
    expect(leftovers.n).toBe(0);
  });
});

describe('pool status follows worker heartbeats', () => {
  test('NOT_READY → READY on a heartbeat → NOT_READY after 3 missed intervals; PAUSED wins', async () => {
    const m = await testApp({ clock: 'manual' });
    try {
      await m.call('POST', '/api/work_pools/', { name: 'p' });
      expect((await m.call('GET', '/api/work_pools/p')).body.status).toBe('NOT_READY');
      await m.call('POST', '/api/work_pools/p/workers/heartbeat', { name: 'w', heartbeat_interval_seconds: 10 });
      expect((await m.call('GET', '/api/work_pools/p')).body.status).toBe('READY');
      (m.clock as import('../../src/domain/time.js').ManualClock).advance(29_000);
      expect((await m.call('GET', '/api/work_pools/p')).body.status).toBe('READY');
      (m.clock as import('../../src/domain/time.js').ManualClock).advance(2_000);
      expect((await m.call('GET', '/api/work_pools/p')).body.status).toBe('NOT_READY');
      await m.call('POST', '/api/work_pools/p/workers/heartbeat', { name: 'w', heartbeat_interval_seconds: 10 });
      await m.call('PATCH', '/api/work_pools/p', { is_paused: true });
      expect((await m.call('GET', '/api/work_pools/p')).body.status).toBe('PAUSED');
    } finally {
      await m.close();
    }
  });
});
