import { afterAll, beforeAll, expect, test } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { createDeployment, createPool } from '../helpers/objects.js';

/**
 * Claiming over real HTTP on a listening server: exactly-once hand-out under concurrency, pool
 * limits that hold at every moment (checked by a trigger inside SQLite), and the long-poll.
 */
let t: TestApp;
let base = '';
const post = async (path: string, body: unknown) => {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
};

beforeAll(async () => {
  t = await testApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api`;
});
afterAll(async () => {
  await t.close();
});

test('8 clients claim 500 due runs at once through both paths: each run once, the pool limit never exceeded', async () => {
  const LIMIT = 8;
  await createPool(t, 'busy', { concurrency_limit: LIMIT });
  await t.call('POST', '/api/work_pools/busy/queues', { name: 'second' });
  const d1 = await createDeployment(t, { name: 'a', work_pool_name: 'busy', parameter_openapi_schema: null }, 'f1');
  const d2 = await createDeployment(t, { name: 'b', work_pool_name: 'busy', work_queue_name: 'second', parameter_openapi_schema: null }, 'f2');
  const past = new Date(Date.now() - 60_000).toISOString();
  const ids = new Set<string>();
  for (let i = 0; i < 500; i++) {
    const d = i % 2 === 0 ? d1 : d2;
    const r = await t.call('POST', `/api/deployments/${d.id}/create_flow_run`, { state: { type: 'SCHEDULED', state_details: { scheduled_time: past } } });
    ids.add(r.body.id);
  }
  // Any moment the pool holds more active runs than its limit is recorded by SQLite itself.
  t.store.db.exec(`
    CREATE TEMP TABLE violations (active INTEGER);
    CREATE TEMP TRIGGER over_limit AFTER UPDATE OF state_type ON flow_run
    WHEN (SELECT count(*) FROM flow_run WHERE state_type IN ('PENDING', 'RUNNING', 'CANCELLING')) > ${LIMIT}
    BEGIN INSERT INTO violations SELECT count(*) FROM flow_run WHERE state_type IN ('PENDING', 'RUNNING', 'CANCELLING'); END;`);

  const claimedBy = new Map<string, number[]>();
  const record = (runId: string, client: number) => claimedBy.set(runId, [...(claimedBy.get(runId) ?? []), client]);
  const finish = async (runId: string, token?: string) => {
    const extra = token ? { claim_token: token } : {};
    await post(`/flow_runs/${runId}/set_state`, { state: { type: 'RUNNING' }, ...extra });
    await post(`/flow_runs/${runId}/set_state`, { state: { type: 'COMPLETED' }, ...extra });
  };
  const done = () => claimedBy.size >= ids.size;

  const batonClient = async (client: number) => {
    while (!done()) {
      const res = await post('/work_pools/busy/claim_flow_runs', { worker_name: `w${client}`, limit: 4, wait_seconds: 0.2 });
      expect(res.status).toBe(200);
      for (const c of res.body) record(c.flow_run.id, client);
      await Promise.all(res.body.map((c: { flow_run: { id: string }; claim_token: string }) => finish(c.flow_run.id, c.claim_token)));
    }
  };
  const prefectClient = async (client: number) => {
    while (!done()) {
      const res = await post('/work_pools/busy/get_scheduled_flow_runs', { limit: 3 });
      expect(res.status).toBe(200);
      for (const { flow_run } of res.body) {
        const pending = await post(`/flow_runs/${flow_run.id}/set_state`, { state: { type: 'PENDING' } });
        if (pending.body.status !== 'ACCEPT') continue; // another client got it, or no slot: the guard held
        record(flow_run.id, client);
        await finish(flow_run.id);
      }
      if (res.body.length === 0) await new Promise((r) => setTimeout(r, 20));
    }
  };
  // The long-poll claims win every race for a freed slot against interval polling, so the
  // Prefect-style clients go first and the baton clients join once both paths are in play.
  const prefect = [4, 5, 6, 7].map(prefectClient);
  await new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (claimedBy.size >= 20 || done()) {
        clearInterval(check);
        resolve();
      }
    }, 10);
  });
  await Promise.all([...prefect, ...[0, 1, 2, 3].map(batonClient)]);

  expect(claimedBy.size).toBe(500);
  const twice = [...claimedBy].filter(([, clients]) => clients.length > 1);
  expect(twice).toEqual([]);
  expect([...claimedBy.keys()].every((id) => ids.has(id))).toBe(true);
  const violations = t.store.db.prepare('SELECT * FROM violations').all();
  expect(violations).toEqual([]);
  const completed = await t.call('POST', '/api/flow_runs/count', { flow_runs: { state: { type: { any_: ['COMPLETED'] } } } });
  expect(completed.body).toBe(500);
  // Both paths did real work.
  const byPath = [...claimedBy.values()].map(([c]) => ((c ?? 0) < 4 ? 'baton' : 'prefect'));
  expect(byPath.filter((p) => p === 'baton').length).toBeGreaterThan(0);
  expect(byPath.filter((p) => p === 'prefect').length).toBeGreaterThan(0);
}, 120_000);

test('a claim waiting with wait_seconds returns the run another client creates meanwhile', async () => {
  await createPool(t, 'waiting');
  const d = await createDeployment(t, { name: 'w', work_pool_name: 'waiting', parameter_openapi_schema: null }, 'f3');
  const started = Date.now();
  const claim = post('/work_pools/waiting/claim_flow_runs', { worker_name: 'patient', limit: 1, wait_seconds: 10 });
  await new Promise((r) => setTimeout(r, 300));
  const created = await post(`/deployments/${d.id}/create_flow_run`, {});
  const res = await claim;
  expect(res.status).toBe(200);
  expect(res.body).toHaveLength(1);
  expect(res.body[0].flow_run.id).toBe(created.body.id);
  expect(res.body[0].flow_run.state_type).toBe('PENDING');
  expect(res.body[0].deployment.id).toBe(d.id);
  expect(Date.now() - started).toBeLessThan(10_000);
});

test('a waiting claim wakes when a scheduled run becomes due, and ends empty at its deadline', async () => {
  await createPool(t, 'timed');
  const d = await createDeployment(t, { name: 't', work_pool_name: 'timed', parameter_openapi_schema: null }, 'f4');
  const soon = new Date(Date.now() + 700).toISOString();
  const run = await post(`/deployments/${d.id}/create_flow_run`, { state: { type: 'SCHEDULED', state_details: { scheduled_time: soon } } });
  const res = await post('/work_pools/timed/claim_flow_runs', { worker_name: 'x', limit: 1, wait_seconds: 10 });
  expect(res.body.map((c: { flow_run: { id: string } }) => c.flow_run.id)).toEqual([run.body.id]);
  expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(soon));
  const empty = await post('/work_pools/timed/claim_flow_runs', { worker_name: 'x', limit: 1, wait_seconds: 0.3 });
  expect(empty.body).toEqual([]);
});

test('claims respect queue priority, paused queues and pools, queue limits and deployment limits', async () => {
  await createPool(t, 'prio');
  await t.call('POST', '/api/work_pools/prio/queues', { name: 'high', priority: 1, concurrency_limit: 1 });
  await t.call('POST', '/api/work_pools/prio/queues', { name: 'paused', is_paused: true });
  const low = await createDeployment(t, { name: 'low', work_pool_name: 'prio', parameter_openapi_schema: null }, 'p1');
  const high = await createDeployment(t, { name: 'high', work_pool_name: 'prio', work_queue_name: 'high', parameter_openapi_schema: null }, 'p2');
  const paused = await createDeployment(t, { name: 'paused', work_pool_name: 'prio', work_queue_name: 'paused', parameter_openapi_schema: null }, 'p3');
  const limited = await createDeployment(t, { name: 'limited', work_pool_name: 'prio', parameter_openapi_schema: null, concurrency_limit: 1 }, 'p4');
  const past = { state: { type: 'SCHEDULED', state_details: { scheduled_time: new Date(Date.now() - 1000).toISOString() } } };
  const lowRun = (await post(`/deployments/${low.id}/create_flow_run`, past)).body;
  const highRuns = [(await post(`/deployments/${high.id}/create_flow_run`, past)).body, (await post(`/deployments/${high.id}/create_flow_run`, past)).body];
  await post(`/deployments/${paused.id}/create_flow_run`, past);
  const limitedRuns = [(await post(`/deployments/${limited.id}/create_flow_run`, past)).body, (await post(`/deployments/${limited.id}/create_flow_run`, past)).body];
  const claimed = (await post('/work_pools/prio/claim_flow_runs', { worker_name: 'w', limit: 10 })).body.map((c: { flow_run: { id: string } }) => c.flow_run.id);
  // One high-priority run (queue limit 1), first; one run of the limited deployment; the low one; nothing paused.
  expect(claimed[0]).toBe(highRuns[0].id);
  expect(claimed).toHaveLength(3);
  expect(claimed).toContain(lowRun.id);
  expect(claimed).toContain(limitedRuns[0].id);
  await t.call('PATCH', '/api/work_pools/prio', { is_paused: true });
  await t.call('PATCH', '/api/work_pools/prio/queues/high', { concurrency_limit: null });
  expect((await post('/work_pools/prio/claim_flow_runs', { worker_name: 'w', limit: 10 })).body).toEqual([]);
  expect((await post('/work_pools/prio/claim_flow_runs', { worker_name: 'w', limit: 1, work_queue_names: ['nope'] })).status).toBe(404);
  expect((await post('/work_pools/nope/claim_flow_runs', { worker_name: 'w', limit: 1 })).status).toBe(404);
  // The poll marked the queues and deployments READY.
  expect((await t.call('GET', '/api/work_pools/prio/queues/default')).body.status).toBe('READY');
  expect((await t.call('GET', `/api/deployments/${low.id}`)).body.status).toBe('READY');
});

test('the cancellations long-poll answers the moment one of the worker’s runs is cancelled', async () => {
  await createPool(t, 'cancel');
  const d = await createDeployment(t, { name: 'c', work_pool_name: 'cancel', parameter_openapi_schema: null }, 'f5');
  const run = (await post(`/deployments/${d.id}/create_flow_run`, {})).body;
  const [claimed] = (await post('/work_pools/cancel/claim_flow_runs', { worker_name: 'cw', limit: 1 })).body;
  await post(`/flow_runs/${run.id}/set_state`, { state: { type: 'RUNNING' }, claim_token: claimed.claim_token });
  await t.call('PATCH', `/api/flow_runs/${run.id}`, { infrastructure_pid: '42' });
  const waiting = post('/work_pools/cancel/workers/cw/cancellations', { wait_seconds: 10 });
  await new Promise((r) => setTimeout(r, 200));
  await post(`/flow_runs/${run.id}/set_state`, { state: { type: 'CANCELLING' } });
  const res = await waiting;
  expect(res.body).toEqual([{ flow_run_id: run.id, claim_token: claimed.claim_token }]);
  expect((await post('/work_pools/cancel/workers/nobody/cancellations', {})).status).toBe(404);
});
