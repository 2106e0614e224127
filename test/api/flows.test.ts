import { afterEach, beforeEach, expect, test } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { createDeployment, createPool, createRun, insertFinishedRuns } from '../helpers/objects.js';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(async () => {
  await t.close();
});

test('POST /flows/ upserts by name: 201 new, 200 existing with the same id', async () => {
  const first = await t.call('POST', '/api/flows/', { name: 'etl', tags: ['a'] });
  expect(first.status).toBe(201);
  const again = await t.call('POST', '/api/flows/', { name: 'etl' });
  expect(again.status).toBe(200);
  expect(again.body.id).toBe(first.body.id);
  expect(again.body.tags).toEqual(['a']);
});

test('read by id and by name; 404s; bad names are 422', async () => {
  const flow = (await t.call('POST', '/api/flows/', { name: 'etl' })).body;
  expect((await t.call('GET', `/api/flows/${flow.id}`)).body.name).toBe('etl');
  expect((await t.call('GET', '/api/flows/name/etl')).body.id).toBe(flow.id);
  expect((await t.call('GET', '/api/flows/name/nope')).status).toBe(404);
  expect((await t.call('GET', '/api/flows/00000000-0000-7000-8000-000000000000')).status).toBe(404);
  expect((await t.call('POST', '/api/flows/', { name: 'a/b' })).status).toBe(422);
});

test('filter, count and paginate with name and deployment filters and sorts', async () => {
  for (const name of ['b', 'a', 'c']) await t.call('POST', '/api/flows/', { name });
  expect((await t.call('POST', '/api/flows/filter', {})).body.map((f: { name: string }) => f.name)).toEqual(['a', 'b', 'c']);
  expect((await t.call('POST', '/api/flows/filter', { sort: 'NAME_DESC' })).body.map((f: { name: string }) => f.name)).toEqual(['c', 'b', 'a']);
  expect((await t.call('POST', '/api/flows/filter', { flows: { name: { like_: 'B' } } })).body).toHaveLength(1);
  expect((await t.call('POST', '/api/flows/count', { flows: { name: { any_: ['a', 'c'] } } })).body).toBe(2);
  const page = await t.call('POST', '/api/flows/paginate', { limit: 2, page: 2 });
  expect(page.body).toMatchObject({ count: 3, limit: 2, pages: 2, page: 2 });
  expect(page.body.results.map((f: { name: string }) => f.name)).toEqual(['c']);
  await createPool(t);
  await createDeployment(t, {}, 'deployed');
  const withDeployment = await t.call('POST', '/api/flows/filter', { flows: { deployment: { is_null_: false } } });
  expect(withDeployment.body.map((f: { name: string }) => f.name)).toEqual(['deployed']);
  const byDeployment = await t.call('POST', '/api/flows/filter', { deployments: { name: { any_: ['nightly'] } } });
  expect(byDeployment.body.map((f: { name: string }) => f.name)).toEqual(['deployed']);
});

test('DELETE removes the flow with its deployments, runs, states and logs', async () => {
  await createPool(t);
  const deployment = await createDeployment(t);
  const run = await createRun(t, deployment.id);
  await t.call('POST', '/api/logs/', [{ name: 'x', level: 20, message: 'hi', timestamp: new Date().toISOString(), flow_run_id: run.id }]);
  expect((await t.call('DELETE', `/api/flows/${deployment.flow_id}`)).status).toBe(204);
  expect((await t.call('GET', `/api/deployments/${deployment.id}`)).status).toBe(404);
  expect((await t.call('GET', `/api/flow_runs/${run.id}`)).status).toBe(404);
  const left = t.store.db.prepare('SELECT (SELECT count(*) FROM flow_run_state) + (SELECT count(*) FROM log) AS n').get() as { n: number };
  expect(left.n).toBe(0);
  expect((await t.call('DELETE', `/api/flows/${deployment.flow_id}`)).status).toBe(404);
});

test('DELETE of a flow with a long history goes in batches: other requests are answered meanwhile', async () => {
  await createPool(t);
  const deployment = await createDeployment(t);
  insertFinishedRuns(t, deployment, 1_201);
  const order: string[] = [];
  const deleting = t.call('DELETE', `/api/flows/${deployment.flow_id}`).then((r) => order.push(`delete ${r.status}`));
  const reading = t.call('GET', `/api/deployments/${deployment.id}`).then((r) => order.push(`read ${r.status}`));
  await Promise.all([deleting, reading]);
  // The read was answered between two batches, while the deployment still existed.
  expect(order).toEqual(['read 200', 'delete 204']);
  expect(t.store.db.prepare('SELECT count(*) AS n FROM flow_run').get()).toEqual({ n: 0 });
  expect((await t.call('GET', `/api/deployments/${deployment.id}`)).status).toBe(404);
});
