import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { createDeployment, createFlow, createPool, createRun, insertFinishedRuns, PARAM_SCHEMA } from '../helpers/objects.js';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
  await createPool(t);
});
afterEach(async () => {
  await t.close();
});

describe('create, read and upsert', () => {
  test('201 on create, 200 on the same (flow, name), with the queue defaulting to the pool default', async () => {
    const d = await createDeployment(t, { tags: ['a'] });
    expect(d).toMatchObject({
      name: 'nightly',
      flow_name: 'etl',
      work_pool_name: 'pool',
      work_queue_name: 'default',
      enforce_parameter_schema: true,
      paused: false,
      status: 'NOT_READY',
      tags: ['a'],
    });
    const again = await t.call('POST', '/api/deployments/', { name: 'nightly', flow_id: d.flow_id, work_pool_name: 'pool', description: 'v2' });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(d.id);
    expect(again.body.description).toBe('v2');
  });

  test('GET by id and by flow/deployment name; 404s', async () => {
    const d = await createDeployment(t);
    expect((await t.call('GET', `/api/deployments/${d.id}`)).body.id).toBe(d.id);
    expect((await t.call('GET', '/api/deployments/name/etl/nightly')).body.id).toBe(d.id);
    expect((await t.call('GET', '/api/deployments/name/etl/nope')).status).toBe(404);
    expect((await t.call('GET', '/api/deployments/00000000-0000-7000-8000-000000000000')).status).toBe(404);
  });

  test('a named queue is created in the pool if missing; a missing pool is 404; a queue without a pool is 422', async () => {
    const d = await createDeployment(t, { work_queue_name: 'etl-queue' });
    expect(d.work_queue_name).toBe('etl-queue');
    expect((await t.call('GET', '/api/work_pools/pool/queues/etl-queue')).status).toBe(200);
    const flow = await createFlow(t, 'other');
    expect((await t.call('POST', '/api/deployments/', { name: 'x', flow_id: flow.id, work_pool_name: 'nope' })).status).toBe(404);
    const noPool = await t.call('POST', '/api/deployments/', { name: 'x', flow_id: flow.id, work_queue_name: 'q' });
    expect(noPool.status).toBe(422);
    expect(noPool.body.detail).toMatch(/work_pool_name/);
    expect((await t.call('POST', '/api/deployments/', { name: 'x', flow_id: '00000000-0000-7000-8000-000000000000' })).status).toBe(404);
  });

  test('legacy fields Prefect clients send are accepted and ignored; unknown fields are 422', async () => {
    const flow = await createFlow(t);
    const res = await t.call('POST', '/api/deployments/', {
      name: 'legacy',
      flow_id: flow.id,
      manifest_path: null,
      storage_document_id: null,
      infrastructure_document_id: null,
      work_pool_name: 'pool',
    });
    expect(res.status).toBe(201);
    expect((await t.call('POST', '/api/deployments/', { name: 'x', flow_id: flow.id, colour: 'red' })).status).toBe(422);
  });

  test('job variables are validated against the pool template; default parameters against the schema', async () => {
    const flow = await createFlow(t);
    const base = { name: 'x', flow_id: flow.id, work_pool_name: 'pool', parameter_openapi_schema: PARAM_SCHEMA };
    const badJob = await t.call('POST', '/api/deployments/', { ...base, job_variables: { stream_output: 'loud' } });
    expect(badJob.status).toBe(422);
    expect(badJob.body.exception_detail[0].loc).toEqual(['body', 'job_variables', 'stream_output']);
    const badParam = await t.call('POST', '/api/deployments/', { ...base, parameters: { count: -1 } });
    expect(badParam.status).toBe(422);
    expect(badParam.body.exception_detail[0].loc).toEqual(['body', 'parameters', 'count']);
    // Defaults may leave required parameters to each run.
    expect((await t.call('POST', '/api/deployments/', { ...base, parameters: {} })).status).toBe(201);
    const badStep = await t.call('POST', '/api/deployments/', { ...base, pull_steps: [{ 'prefect.deployments.steps.run_shell_script': { script: 'x' } }] });
    expect(badStep.status).toBe(422);
    expect(badStep.body.detail).toMatch(/supported: baton\.deployments\.steps\.git_clone/);
  });

  test('a redeploy keeps an operator pause and enforce setting unless the request sets them', async () => {
    const d = await createDeployment(t);
    await t.call('POST', `/api/deployments/${d.id}/pause_deployment`);
    await t.call('PATCH', `/api/deployments/${d.id}`, { enforce_parameter_schema: false });
    const redeployed = await t.call('POST', '/api/deployments/', { name: 'nightly', flow_id: d.flow_id, work_pool_name: 'pool' });
    expect(redeployed.body).toMatchObject({ paused: true, enforce_parameter_schema: false });
    const explicit = await t.call('POST', '/api/deployments/', { name: 'nightly', flow_id: d.flow_id, work_pool_name: 'pool', paused: false });
    expect(explicit.body.paused).toBe(false);
  });
});

describe('filter, count, paginate', () => {
  test('the filter DSL and sorts', async () => {
    await createDeployment(t, { name: 'b', tags: ['x', 'y'] }, 'f1');
    await createDeployment(t, { name: 'a', tags: ['x'], work_queue_name: 'q2' }, 'f1');
    await createDeployment(t, { name: 'c', paused: true }, 'f2');
    const names = async (body: Record<string, unknown>) =>
      (await t.call('POST', '/api/deployments/filter', body)).body.map((d: { flow_name: string; name: string }) => `${d.flow_name}/${d.name}`);
    expect(await names({})).toEqual(['f1/a', 'f1/b', 'f2/c']);
    expect(await names({ sort: 'NAME_DESC' })).toEqual(['f2/c', 'f1/b', 'f1/a']);
    expect(await names({ sort: 'CREATED_DESC' })).toEqual(['f2/c', 'f1/a', 'f1/b']);
    expect(await names({ deployments: { tags: { all_: ['x', 'y'] } } })).toEqual(['f1/b']);
    expect(await names({ deployments: { paused: { eq_: true } } })).toEqual(['f2/c']);
    expect(await names({ deployments: { work_queue_name: { any_: ['q2'] } } })).toEqual(['f1/a']);
    expect(await names({ deployments: { flow_or_deployment_name: { like_: 'f2' } } })).toEqual(['f2/c']);
    expect(await names({ flows: { name: { any_: ['f1'] } } })).toEqual(['f1/a', 'f1/b']);
    expect(await names({ deployments: { name: { any_: ['a'] }, tags: { all_: ['y'] }, operator: 'or_' } })).toEqual(['f1/a', 'f1/b']);
    expect((await t.call('POST', '/api/deployments/count', { deployments: { tags: { any_: ['x'] } } })).body).toBe(2);
    const page = await t.call('POST', '/api/deployments/paginate', { limit: 2, page: 1 });
    expect(page.body).toMatchObject({ count: 3, pages: 2, page: 1 });
    expect((await t.call('POST', '/api/deployments/filter', { sort: 'SIDEWAYS' })).status).toBe(422);
  });
});

describe('PATCH, pause, resume, delete', () => {
  test('PATCH changes only the given fields (204)', async () => {
    const d = await createDeployment(t, { description: 'keep', version: '1' });
    expect((await t.call('PATCH', `/api/deployments/${d.id}`, { version: '2' })).status).toBe(204);
    const after = (await t.call('GET', `/api/deployments/${d.id}`)).body;
    expect(after).toMatchObject({ version: '2', description: 'keep', entrypoint: 'flows/etl.ts:etl', work_queue_name: 'default' });
    expect((await t.call('PATCH', `/api/deployments/${d.id}`, { work_queue_name: 'other' })).status).toBe(204);
    expect((await t.call('GET', `/api/deployments/${d.id}`)).body.work_queue_name).toBe('other');
    expect((await t.call('PATCH', '/api/deployments/00000000-0000-7000-8000-000000000000', { version: '3' })).status).toBe(404);
  });

  test('pause and resume through PATCH and through Prefect’s paths', async () => {
    const d = await createDeployment(t);
    expect((await t.call('POST', `/api/deployments/${d.id}/pause_deployment`)).status).toBe(200);
    expect((await t.call('GET', `/api/deployments/${d.id}`)).body.paused).toBe(true);
    await t.call('POST', `/api/deployments/${d.id}/resume_deployment`);
    expect((await t.call('GET', `/api/deployments/${d.id}`)).body.paused).toBe(false);
    await t.call('PATCH', `/api/deployments/${d.id}`, { paused: true });
    expect((await t.call('GET', `/api/deployments/${d.id}`)).body.paused).toBe(true);
  });

  test('DELETE removes its runs that never started and keeps the others, detached (Prefect)', async () => {
    const d = await createDeployment(t);
    const waiting = await createRun(t, d.id, { state: { type: 'SCHEDULED', state_details: { scheduled_time: '2030-01-01T00:00:00Z' } } });
    const done = await createRun(t, d.id);
    for (const type of ['PENDING', 'RUNNING', 'COMPLETED']) await t.call('POST', `/api/flow_runs/${done.id}/set_state`, { state: { type } });
    const running = await createRun(t, d.id);
    for (const type of ['PENDING', 'RUNNING']) await t.call('POST', `/api/flow_runs/${running.id}/set_state`, { state: { type } });
    expect((await t.call('DELETE', `/api/deployments/${d.id}`)).status).toBe(204);
    expect((await t.call('GET', `/api/deployments/${d.id}`)).status).toBe(404);
    expect((await t.call('GET', `/api/flow_runs/${waiting.id}`)).status).toBe(404);
    expect((await t.call('GET', `/api/flow_runs/${done.id}`)).body).toMatchObject({ deployment_id: null, state_type: 'COMPLETED' });
    expect((await t.call('GET', `/api/flow_runs/${running.id}`)).body).toMatchObject({ deployment_id: null, state_type: 'RUNNING' });
    expect((await t.call('DELETE', `/api/deployments/${d.id}`)).status).toBe(404);
  });

  test('DELETE of a deployment with more finished runs than one batch detaches every one of them', async () => {
    const d = await createDeployment(t);
    const flowId = d.flow_id;
    // 1,201 finished runs: three batches of detaching.
    insertFinishedRuns(t, d, 1_201);
    expect((await t.call('DELETE', `/api/deployments/${d.id}`)).status).toBe(204);
    const counts = t.store.db.prepare('SELECT count(*) AS n, count(deployment_id) AS attached FROM flow_run WHERE flow_id = ?').get(flowId);
    expect(counts).toEqual({ n: 1_201, attached: 0 });
  });
});

describe('schedules on upsert', () => {
  test('left out, they stay as they are; an explicit list (even empty) replaces them', async () => {
    const d = await createDeployment(t, { schedules: [{ schedule: { interval: 3600 } }] });
    expect(d.schedules).toHaveLength(1);
    const kept = await t.call('POST', '/api/deployments/', { name: 'nightly', flow_id: d.flow_id, work_pool_name: 'pool' });
    expect(kept.body.schedules).toHaveLength(1);
    const cleared = await t.call('POST', '/api/deployments/', { name: 'nightly', flow_id: d.flow_id, work_pool_name: 'pool', schedules: [] });
    expect(cleared.body.schedules).toHaveLength(0);
  });
});
