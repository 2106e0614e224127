import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { ManualClock } from '../../src/domain/time.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { createDeployment, createPool, createRun, setState } from '../helpers/objects.js';

let t: TestApp;
let clock: ManualClock;
let d1: { id: string; flow_id: string };
let d2: { id: string; flow_id: string };
const at = (minutes: number) => new Date(Date.parse('2026-01-01T00:00:00Z') + minutes * 60_000).toISOString();

beforeEach(async () => {
  t = await testApp({ clock: 'manual' });
  clock = t.clock as ManualClock;
  await createPool(t);
  d1 = await createDeployment(t, { name: 'one', tags: ['etl'] }, 'alpha');
  d2 = await createDeployment(t, { name: 'two', work_queue_name: 'q2' }, 'beta');
});
afterEach(async () => {
  await t.close();
});

const ids = async (body: Record<string, unknown>) =>
  (await t.call('POST', '/api/flow_runs/filter', body)).body.map((r: { name: string }) => r.name);

describe('filter, count and paginate', () => {
  beforeEach(async () => {
    const make = async (d: { id: string }, name: string, minutes: number, tags: string[] = []) =>
      createRun(t, d.id, { name, tags, state: { type: 'SCHEDULED', state_details: { scheduled_time: at(minutes) } } });
    const a = await make(d1, 'a-run', 10, ['x']);
    clock.advance(1);
    await make(d1, 'b-run', 30, ['x', 'y']);
    clock.advance(1);
    const c = await make(d2, 'c-run', 20);
    clock.advance(60_000);
    await setState(t, a.id, { type: 'PENDING' });
    await setState(t, a.id, { type: 'RUNNING' });
    clock.advance(5_000);
    await setState(t, a.id, { type: 'COMPLETED' });
    await setState(t, c.id, { type: 'SCHEDULED', name: 'Late' });
  });

  test('every filter field of Prefect’s FlowRunFilter', async () => {
    expect(await ids({})).toEqual(['c-run', 'b-run', 'a-run']); // ID_DESC: newest first
    expect(await ids({ flow_runs: { state: { type: { any_: ['COMPLETED'] } } } })).toEqual(['a-run']);
    expect(await ids({ flow_runs: { state: { type: { not_any_: ['COMPLETED'] } } } })).toEqual(['c-run', 'b-run']);
    expect(await ids({ flow_runs: { state: { name: { any_: ['Late'] } } } })).toEqual(['c-run']);
    expect(await ids({ flow_runs: { tags: { all_: ['x', 'y'] } } })).toEqual(['b-run']);
    expect(await ids({ flow_runs: { tags: { any_: ['y', 'nope'] } } })).toEqual(['b-run']);
    expect(await ids({ flow_runs: { tags: { is_null_: true } } })).toEqual(['c-run']);
    expect(await ids({ flow_runs: { deployment_id: { any_: [d2.id] } } })).toEqual(['c-run']);
    expect(await ids({ flow_runs: { work_queue_name: { any_: ['q2'] } } })).toEqual(['c-run']);
    expect(await ids({ flow_runs: { name: { like_: 'B-R' } } })).toEqual(['b-run']);
    expect(await ids({ flows: { name: { any_: ['beta'] } } })).toEqual(['c-run']);
    expect(await ids({ deployments: { tags: { all_: ['etl'] } } })).toEqual(['b-run', 'a-run']);
    expect(await ids({ work_pools: { name: { any_: ['pool'] } }, work_pool_queues: { name: { any_: ['default'] } } })).toEqual(['b-run', 'a-run']);
    expect(await ids({ flow_runs: { start_time: { is_null_: false } } })).toEqual(['a-run']);
    expect(await ids({ flow_runs: { end_time: { after_: at(0) } } })).toEqual(['a-run']);
    expect(await ids({ flow_runs: { expected_start_time: { before_: at(20) } } })).toEqual(['c-run', 'a-run']);
    expect(await ids({ flow_runs: { next_scheduled_start_time: { after_: at(25) } } })).toEqual(['b-run']);
    const first = (await t.call('POST', '/api/flow_runs/filter', { limit: 1 })).body[0];
    expect(await ids({ flow_runs: { id: { any_: [first.id] } } })).toEqual(['c-run']);
    expect(await ids({ flow_runs: { id: { not_any_: [first.id] } } })).toEqual(['b-run', 'a-run']);
    expect(await ids({ flow_runs: { operator: 'or_', name: { any_: ['a-run'] }, tags: { all_: ['y'] } } })).toEqual(['b-run', 'a-run']);
    expect((await t.call('POST', '/api/flow_runs/count', { flow_runs: { tags: { any_: ['x'] } } })).body).toBe(2);
  });

  test('every sort value', async () => {
    expect(await ids({ sort: 'EXPECTED_START_TIME_ASC' })).toEqual(['a-run', 'c-run', 'b-run']);
    expect(await ids({ sort: 'EXPECTED_START_TIME_DESC' })).toEqual(['b-run', 'c-run', 'a-run']);
    expect(await ids({ sort: 'NAME_ASC' })).toEqual(['a-run', 'b-run', 'c-run']);
    expect(await ids({ sort: 'NAME_DESC' })).toEqual(['c-run', 'b-run', 'a-run']);
    expect(await ids({ sort: 'NEXT_SCHEDULED_START_TIME_ASC' })).toEqual(['c-run', 'b-run', 'a-run']);
    // coalesce(start_time, expected_start_time): a-run started at 00:01, c-run is due 00:20, b-run 00:30.
    expect(await ids({ sort: 'START_TIME_DESC' })).toEqual(['b-run', 'c-run', 'a-run']);
    expect(await ids({ sort: 'START_TIME_ASC' })).toEqual(['a-run', 'c-run', 'b-run']);
    expect((await ids({ sort: 'END_TIME_DESC' }))[0]).toBe('a-run');
    expect(await ids({ sort: 'ID_DESC', limit: 2, offset: 1 })).toEqual(['b-run', 'a-run']);
    const page = await t.call('POST', '/api/flow_runs/paginate', { limit: 2, page: 2 });
    expect(page.body).toMatchObject({ count: 3, limit: 2, pages: 2, page: 2 });
    expect(page.body.results).toHaveLength(1);
  });
});

test('a run carries every field of Prefect’s FlowRunResponse', async () => {
  const run = await createRun(t, d1.id);
  const body = (await t.call('GET', `/api/flow_runs/${run.id}`)).body;
  for (const field of [
    'id', 'created', 'updated', 'name', 'flow_id', 'state_id', 'deployment_id', 'deployment_version', 'work_queue_id',
    'work_queue_name', 'work_pool_id', 'work_pool_name', 'flow_version', 'parameters', 'idempotency_key', 'context',
    'empirical_policy', 'tags', 'labels', 'parent_task_run_id', 'state_type', 'state_name', 'run_count',
    'expected_start_time', 'next_scheduled_start_time', 'start_time', 'end_time', 'total_run_time', 'estimated_run_time',
    'estimated_start_time_delta', 'auto_scheduled', 'infrastructure_document_id', 'infrastructure_pid', 'created_by',
    'job_variables', 'state',
  ]) {
    expect(body, field).toHaveProperty(field);
  }
  expect(body.state).toMatchObject({ type: 'SCHEDULED', name: 'Scheduled', state_details: { flow_run_id: run.id } });
  expect(body.empirical_policy).toMatchObject({ retries: null, retry_type: null, pause_keys: [] });
});

test('PATCH changes name, tags, infrastructure pid; job variables only while SCHEDULED', async () => {
  const run = await createRun(t, d1.id);
  expect((await t.call('PATCH', `/api/flow_runs/${run.id}`, { name: 'renamed', tags: ['t'], infrastructure_pid: '99', job_variables: { env: { A: '1' } } })).status).toBe(204);
  expect((await t.call('GET', `/api/flow_runs/${run.id}`)).body).toMatchObject({ name: 'renamed', tags: ['t'], infrastructure_pid: '99', job_variables: { env: { A: '1' } } });
  await setState(t, run.id, { type: 'PENDING' });
  expect((await t.call('PATCH', `/api/flow_runs/${run.id}`, { job_variables: {} })).status).toBe(400);
  expect((await t.call('PATCH', `/api/flow_runs/${run.id}`, { state_type: 'COMPLETED' })).status).toBe(422);
  expect((await t.call('PATCH', '/api/flow_runs/00000000-0000-7000-8000-000000000000', { name: 'x' })).status).toBe(404);
});

test('DELETE removes the run, its states and logs', async () => {
  const run = await createRun(t, d1.id);
  expect((await t.call('DELETE', `/api/flow_runs/${run.id}`)).status).toBe(204);
  expect((await t.call('GET', `/api/flow_runs/${run.id}`)).status).toBe(404);
  expect((await t.call('GET', `/api/flow_run_states/?flow_run_id=${run.id}`)).status).toBe(404);
  expect((await t.call('DELETE', `/api/flow_runs/${run.id}`)).status).toBe(404);
});

describe('logs', () => {
  test('a batch is stored in order and filtered by run, level, time and text', async () => {
    const run = await createRun(t, d1.id);
    const other = await createRun(t, d1.id);
    const ts = (s: number) => new Date(Date.parse('2026-01-01T00:00:00Z') + s * 1000).toISOString();
    const res = await t.call('POST', '/api/logs/', [
      { name: 'baton.flow_runs', level: 20, message: 'first', timestamp: ts(1), flow_run_id: run.id },
      { name: 'baton.flow_runs', level: 40, message: 'boom\u0000!', timestamp: ts(2), flow_run_id: run.id },
      { name: 'baton.flow_runs', level: 20, message: 'same second, later line', timestamp: ts(2), flow_run_id: run.id },
      { name: 'baton.flow_runs', level: 20, message: 'other run', timestamp: ts(1), flow_run_id: other.id },
      { name: 'baton.flow_runs', level: 20, message: 'deleted run', timestamp: ts(1), flow_run_id: '00000000-0000-7000-8000-000000000000' },
    ]);
    expect(res.status).toBe(201);
    const messages = async (logs: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      (await t.call('POST', '/api/logs/filter', { logs, ...extra })).body.map((l: { message: string }) => l.message);
    expect(await messages({ flow_run_id: { any_: [run.id] } })).toEqual(['first', 'boom!', 'same second, later line']);
    expect(await messages({ flow_run_id: { any_: [run.id] } }, { sort: 'TIMESTAMP_DESC' })).toEqual(['same second, later line', 'boom!', 'first']);
    expect(await messages({ flow_run_id: { any_: [run.id] }, level: { ge_: 40 } })).toEqual(['boom!']);
    expect(await messages({ flow_run_id: { any_: [run.id] }, timestamp: { after_: ts(2) } })).toEqual(['boom!', 'same second, later line']);
    expect(await messages({ text: { query: 'OTHER' } })).toEqual(['other run']);
    expect(await messages({ flow_run_id: { any_: [run.id] } }, { limit: 1, offset: 1 })).toEqual(['boom!']);
    const log = (await t.call('POST', '/api/logs/filter', { logs: { flow_run_id: { any_: [run.id] } }, limit: 1 })).body[0];
    expect(Object.keys(log).sort()).toEqual(['created', 'flow_run_id', 'id', 'level', 'message', 'name', 'task_run_id', 'timestamp', 'updated']);
  });

  test('bad log lines are 422 and nothing of the batch is stored', async () => {
    const res = await t.call('POST', '/api/logs/', [
      { name: 'x', level: 20, message: 'ok', timestamp: new Date().toISOString() },
      { name: 'x', level: 'INFO', message: 'bad level', timestamp: new Date().toISOString() },
    ]);
    expect(res.status).toBe(422);
    expect(res.body.exception_detail[0].loc).toEqual(['body', 1, 'level']);
    expect((await t.call('POST', '/api/logs/filter', {})).body).toEqual([]);
    expect((await t.call('POST', '/api/logs/', { not: 'an array' })).status).toBe(422);
  });
});
