import { afterEach, beforeEach, expect, test } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { createDeployment, createPool } from '../helpers/objects.js';

let t: TestApp;
let deployment: { id: string; flow_id: string };
const runCount = () => (t.store.db.prepare('SELECT count(*) AS n FROM flow_run').get() as { n: number }).n;

beforeEach(async () => {
  t = await testApp();
  await createPool(t);
  deployment = await createDeployment(t, { tags: ['etl'] });
});
afterEach(async () => {
  await t.close();
});

test('parameters overlay the deployment’s; Scheduled at now by default; tags are the union', async () => {
  const before = Date.now();
  const res = await t.call('POST', `/api/deployments/${deployment.id}/create_flow_run`, { parameters: { count: 3 }, tags: ['manual', 'etl'] });
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({
    parameters: { name: 'world', count: 3 },
    tags: ['etl', 'manual'],
    state_type: 'SCHEDULED',
    state_name: 'Scheduled',
    work_pool_name: 'pool',
    work_queue_name: 'default',
    deployment_id: deployment.id,
    flow_name: 'etl',
    deployment_name: 'nightly',
  });
  expect(res.body.name).toMatch(/^[a-z]+-[a-z]+$/);
  const scheduled = Date.parse(res.body.state.state_details.scheduled_time);
  expect(scheduled).toBeGreaterThanOrEqual(before - 5);
  expect(res.body.next_scheduled_start_time).toBe(res.body.state.state_details.scheduled_time);
  expect(res.body.expected_start_time).toBe(res.body.state.state_details.scheduled_time);
});

test('bad parameters are 422 naming every failing parameter by JSON pointer, and nothing is created', async () => {
  const cases: [Record<string, unknown>, string[]][] = [
    [{ name: 5 }, ['/name']],
    [{ name: null, count: 'three' }, ['/name', '/count']],
    [{ colour: 'red' }, ['/colour']],
  ];
  for (const [parameters, pointers] of cases) {
    const res = await t.call('POST', `/api/deployments/${deployment.id}/create_flow_run`, { parameters });
    expect(res.status, JSON.stringify(parameters)).toBe(422);
    const messages = res.body.exception_detail.map((d: { msg: string }) => d.msg).join(' | ');
    for (const p of pointers) expect(messages).toContain(`${p}:`);
  }
  // A required parameter missing from both the deployment and the request.
  await t.call('PATCH', `/api/deployments/${deployment.id}`, { parameters: {} });
  const missing = await t.call('POST', `/api/deployments/${deployment.id}/create_flow_run`, {});
  expect(missing.status).toBe(422);
  expect(missing.body.exception_detail[0]).toMatchObject({ loc: ['body', 'parameters', 'name'], msg: '/name: is required' });
  expect(runCount()).toBe(0);
});

test('enforcement can be turned off per request and per deployment', async () => {
  expect((await t.call('POST', `/api/deployments/${deployment.id}/create_flow_run`, { parameters: { count: 'x' }, enforce_parameter_schema: false })).status).toBe(201);
  await t.call('PATCH', `/api/deployments/${deployment.id}`, { enforce_parameter_schema: false });
  expect((await t.call('POST', `/api/deployments/${deployment.id}/create_flow_run`, { parameters: { count: 'x' } })).status).toBe(201);
});

test('an idempotency key returns the existing run with 200', async () => {
  const first = await t.call('POST', `/api/deployments/${deployment.id}/create_flow_run`, { idempotency_key: 'k1' });
  const second = await t.call('POST', `/api/deployments/${deployment.id}/create_flow_run`, { idempotency_key: 'k1', parameters: { count: 9 } });
  expect(first.status).toBe(201);
  expect(second.status).toBe(200);
  expect(second.body.id).toBe(first.body.id);
  expect(runCount()).toBe(1);
});

test('work_queue_name overrides the queue within the pool (created if missing); a given state and time are used', async () => {
  const at = '2030-01-01T00:00:00.000Z';
  const res = await t.call('POST', `/api/deployments/${deployment.id}/create_flow_run`, {
    work_queue_name: 'urgent',
    state: { type: 'SCHEDULED', state_details: { scheduled_time: at } },
    name: 'my-run',
  });
  expect(res.body).toMatchObject({ work_queue_name: 'urgent', name: 'my-run', next_scheduled_start_time: at });
  expect((await t.call('GET', '/api/work_pools/pool/queues/urgent')).status).toBe(200);
});

test('parameters over 512 KiB are 422; a missing deployment is 404', async () => {
  const res = await t.call('POST', `/api/deployments/${deployment.id}/create_flow_run`, {
    parameters: { name: 'x'.repeat(600 * 1024) },
  });
  expect(res.status).toBe(422);
  expect(res.body.detail).toMatch(/512 KiB/);
  expect((await t.call('POST', '/api/deployments/00000000-0000-7000-8000-000000000000/create_flow_run', {})).status).toBe(404);
  expect(runCount()).toBe(0);
});

test('POST /flow_runs/ creates an ad-hoc run, PENDING by default, with idempotency and queue resolution', async () => {
  const res = await t.call('POST', '/api/flow_runs/', { flow_id: deployment.flow_id, parameters: { a: 1 } });
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({ state_type: 'PENDING', state_name: 'Pending', deployment_id: null, work_queue_id: null });
  const queued = await t.call('POST', '/api/flow_runs/', { flow_id: deployment.flow_id, work_pool_name: 'pool', idempotency_key: 'k' });
  expect(queued.body.work_queue_name).toBe('default');
  expect((await t.call('POST', '/api/flow_runs/', { flow_id: deployment.flow_id, idempotency_key: 'k' })).status).toBe(200);
  expect((await t.call('POST', '/api/flow_runs/', { flow_id: deployment.flow_id, work_pool_name: 'pool', work_queue_name: 'nope' })).status).toBe(404);
  expect((await t.call('POST', '/api/flow_runs/', { flow_id: '00000000-0000-7000-8000-000000000000' })).status).toBe(404);
  expect((await t.call('POST', '/api/flow_runs/', {})).status).toBe(422);
});
