import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { ManualClock } from '../../src/domain/time.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { createDeployment, createPool, createRun, setState } from '../helpers/objects.js';

/** One test per orchestration rule (Prefect §2.9 as baton applies it); each fails if its rule is removed. */
let t: TestApp;
let clock: ManualClock;
let deployment: { id: string; flow_id: string };

beforeEach(async () => {
  t = await testApp({ clock: 'manual' });
  clock = t.clock as ManualClock;
  await createPool(t);
  deployment = await createDeployment(t);
});
afterEach(async () => {
  await t.close();
});

const run = async (body: Record<string, unknown> = {}) => createRun(t, deployment.id, body);
const read = async (id: string) => (await t.call('GET', `/api/flow_runs/${id}`)).body;
const toRunning = async (id: string) => {
  expect((await setState(t, id, { type: 'PENDING' })).body.status).toBe('ACCEPT');
  expect((await setState(t, id, { type: 'RUNNING' })).body.status).toBe('ACCEPT');
};

test('a proposal answers {status, state, details}, 201 when written and 200 when not', async () => {
  const r = await run();
  const accepted = await setState(t, r.id, { type: 'PENDING' });
  expect(accepted.status).toBe(201);
  expect(accepted.body).toMatchObject({ status: 'ACCEPT', state: { type: 'PENDING', name: 'Pending' }, details: { type: 'accept_details' } });
  const aborted = await setState(t, r.id, { type: 'PENDING' });
  expect(aborted.status).toBe(200);
  expect(aborted.body.details.type).toBe('abort_details');
  expect((await setState(t, '00000000-0000-7000-8000-000000000000', { type: 'PENDING' })).status).toBe(404);
});

test('duplicate transitions: a repeated transition_id is rejected with the current state', async () => {
  const r = await run();
  await setState(t, r.id, { type: 'PENDING', state_details: { transition_id: 'abc' } });
  const again = await setState(t, r.id, { type: 'PENDING', name: 'Submitting', state_details: { transition_id: 'abc' } });
  expect(again.body.status).toBe('REJECT');
  expect(again.body.state.name).toBe('Pending');
});

describe('terminal states are final', () => {
  test('a late report after a crash cannot overwrite it (no RUNNING, COMPLETED, CRASHED…)', async () => {
    const r = await run();
    await toRunning(r.id);
    expect((await setState(t, r.id, { type: 'CRASHED' })).body.status).toBe('ACCEPT');
    for (const type of ['COMPLETED', 'RUNNING', 'PENDING', 'CANCELLING', 'PAUSED', 'CRASHED']) {
      const res = await setState(t, r.id, { type });
      expect(res.body.status, type).toBe('ABORT');
      expect(res.body.details.reason).toBe('Run is already in terminal state CRASHED.');
    }
    expect((await read(r.id)).state_type).toBe('CRASHED');
  });

  test('an explicit reschedule (retry) is the way out, only for deployment runs', async () => {
    const r = await run();
    await toRunning(r.id);
    await setState(t, r.id, { type: 'FAILED' });
    const retried = await setState(t, r.id, { type: 'SCHEDULED', message: 'Retried via CLI' });
    expect(retried.body.status).toBe('ACCEPT');
    const after = await read(r.id);
    expect(after).toMatchObject({ state_type: 'SCHEDULED', end_time: null, empirical_policy: { retry_type: 'reschedule' } });
    const adhoc = (await t.call('POST', '/api/flow_runs/', { flow_id: deployment.flow_id })).body;
    await setState(t, adhoc.id, { type: 'RUNNING' });
    await setState(t, adhoc.id, { type: 'COMPLETED' });
    const res = await setState(t, adhoc.id, { type: 'SCHEDULED' });
    expect(res.body).toMatchObject({ status: 'ABORT', details: { reason: 'Cannot reschedule a run without an associated deployment.' } });
  });
});

test('CANCELLING only goes to CANCELLED', async () => {
  const r = await run();
  await toRunning(r.id);
  await t.call('PATCH', `/api/flow_runs/${r.id}`, { infrastructure_pid: '123' });
  expect((await setState(t, r.id, { type: 'CANCELLING' })).body.status).toBe('ACCEPT');
  for (const type of ['COMPLETED', 'FAILED', 'RUNNING']) expect((await setState(t, r.id, { type })).body.status, type).toBe('REJECT');
  expect((await setState(t, r.id, { type: 'CANCELLED' })).body.status).toBe('ACCEPT');
});

test('cancelling a run that has not started makes it Cancelled at once', async () => {
  const r = await run();
  const res = await setState(t, r.id, { type: 'CANCELLING' });
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({ status: 'REJECT', state: { type: 'CANCELLED', name: 'Cancelled' } });
  expect((await read(r.id)).state_type).toBe('CANCELLED');
});

test('PENDING → PENDING aborts (the duplicate-submission guard); a sub-state rename is allowed', async () => {
  const r = await run();
  await setState(t, r.id, { type: 'PENDING' });
  expect((await setState(t, r.id, { type: 'PENDING', name: 'Submitting' })).body.status).toBe('ACCEPT');
  const dup = await setState(t, r.id, { type: 'PENDING' });
  expect(dup.body).toMatchObject({ status: 'ABORT', details: { reason: 'This run is in a PENDING state and cannot transition to a PENDING state.' } });
  await setState(t, r.id, { type: 'RUNNING' });
  expect((await setState(t, r.id, { type: 'PENDING' })).body.status).toBe('ABORT');
});

test('Late only from Scheduled', async () => {
  const r = await run();
  expect((await setState(t, r.id, { type: 'SCHEDULED', name: 'Late' })).body.status).toBe('ACCEPT');
  expect((await setState(t, r.id, { type: 'SCHEDULED', name: 'Late' })).body.status).toBe('REJECT');
  const other = await run();
  await setState(t, other.id, { type: 'PENDING' });
  expect((await setState(t, other.id, { type: 'SCHEDULED', name: 'Late' })).body.status).toBe('REJECT');
});

test('RUNNING waits for the scheduled time (WAIT with whole-second delay); nothing is written', async () => {
  const r = await run({ state: { type: 'SCHEDULED', state_details: { scheduled_time: new Date(clock.now() + 4500).toISOString() } } });
  await setState(t, r.id, { type: 'PENDING' });
  const wait = await setState(t, r.id, { type: 'RUNNING' });
  expect(wait.status).toBe(200);
  expect(wait.body).toMatchObject({ status: 'WAIT', details: { type: 'wait_details', delay_seconds: 5 } });
  expect((await read(r.id)).state_type).toBe('PENDING');
  clock.advance(4500);
  expect((await setState(t, r.id, { type: 'RUNNING' })).body.status).toBe('ACCEPT');
});

describe('retries', () => {
  test('a failure with retries left becomes AwaitingRetry (in process) until attempts run out', async () => {
    const r = await run();
    await t.call('PATCH', `/api/flow_runs/${r.id}`, { empirical_policy: { retries: 2, retry_delay: 10 } });
    await toRunning(r.id);
    for (const attempt of [1, 2]) {
      const res = await setState(t, r.id, { type: 'FAILED', message: 'boom' });
      expect(res.body.status, `attempt ${attempt}`).toBe('REJECT');
      expect(res.body.state).toMatchObject({ type: 'SCHEDULED', name: 'AwaitingRetry' });
      expect(Date.parse(res.body.state.state_details.scheduled_time)).toBe(clock.now() + 10_000);
      expect((await read(r.id)).empirical_policy.retry_type).toBe('in_process');
      clock.advance(10_000);
      expect((await setState(t, r.id, { type: 'RUNNING', name: 'Retrying' })).body.status).toBe('ACCEPT');
    }
    expect((await setState(t, r.id, { type: 'FAILED' })).body.status).toBe('ACCEPT');
    expect(await read(r.id)).toMatchObject({ state_type: 'FAILED', run_count: 3 });
  });

  test('a crash, or a worker-reported failure with retry_type reschedule, goes back to any worker', async () => {
    const r = await run();
    await t.call('PATCH', `/api/flow_runs/${r.id}`, { empirical_policy: { retries: 1 } });
    await toRunning(r.id);
    const res = await setState(t, r.id, { type: 'CRASHED' });
    expect(res.body.state.name).toBe('AwaitingRetry');
    expect((await read(r.id)).empirical_policy.retry_type).toBe('reschedule');
  });
});

describe('deployment concurrency', () => {
  test('ENQUEUE: the slot is taken at PENDING; a full deployment sends newcomers to AwaitingConcurrencySlot; terminal states free it', async () => {
    await t.call('PATCH', `/api/deployments/${deployment.id}`, { concurrency_limit: 1 });
    const a = await run();
    const b = await run();
    expect((await setState(t, a.id, { type: 'PENDING' })).body.status).toBe('ACCEPT');
    const blocked = await setState(t, b.id, { type: 'PENDING' });
    expect(blocked.body).toMatchObject({ status: 'REJECT', state: { type: 'SCHEDULED', name: 'AwaitingConcurrencySlot' } });
    expect((await t.call('GET', `/api/deployments/${deployment.id}`)).body.global_concurrency_limit.active_slots).toBe(1);
    await setState(t, a.id, { type: 'RUNNING' });
    await setState(t, a.id, { type: 'COMPLETED' });
    expect((await t.call('GET', `/api/deployments/${deployment.id}`)).body.global_concurrency_limit.active_slots).toBe(0);
    expect((await setState(t, b.id, { type: 'PENDING' })).body.status).toBe('ACCEPT');
  });

  test('CANCEL_NEW: a newcomer to a full deployment is cancelled', async () => {
    await t.call('PATCH', `/api/deployments/${deployment.id}`, { concurrency_limit: 1, concurrency_options: { collision_strategy: 'CANCEL_NEW' } });
    const a = await run();
    const b = await run();
    await setState(t, a.id, { type: 'PENDING' });
    const res = await setState(t, b.id, { type: 'PENDING' });
    expect(res.body).toMatchObject({ status: 'REJECT', state: { type: 'CANCELLED', message: 'Deployment concurrency limit reached.' } });
  });
});

test('force applies the minimal policy: a terminal state can be overwritten', async () => {
  const r = await run();
  await toRunning(r.id);
  await setState(t, r.id, { type: 'COMPLETED' });
  expect((await setState(t, r.id, { type: 'CANCELLED' }, { force: true })).body.status).toBe('ACCEPT');
  expect((await read(r.id)).state_type).toBe('CANCELLED');
});

test('derived fields are maintained by the transition: start/end time, run count, total run time, expected start', async () => {
  const r = await run();
  const expected = r.expected_start_time;
  await setState(t, r.id, { type: 'PENDING' });
  clock.advance(1000);
  await setState(t, r.id, { type: 'RUNNING' });
  const started = clock.now();
  clock.advance(2500);
  await setState(t, r.id, { type: 'COMPLETED' });
  const done = await read(r.id);
  expect(done).toMatchObject({
    expected_start_time: expected,
    start_time: new Date(started).toISOString(),
    end_time: new Date(started + 2500).toISOString(),
    run_count: 1,
    total_run_time: 2.5,
    next_scheduled_start_time: null,
    state_type: 'COMPLETED',
    state_name: 'Completed',
  });
  const states = (await t.call('GET', `/api/flow_run_states/?flow_run_id=${r.id}`)).body;
  expect(states.map((s: { type: string }) => s.type)).toEqual(['SCHEDULED', 'PENDING', 'RUNNING', 'COMPLETED']);
  const stamps = states.map((s: { timestamp: string }) => Date.parse(s.timestamp));
  expect(new Set(stamps).size).toBe(stamps.length);
  expect((await t.call('GET', `/api/flow_run_states/${states[1].id}`)).body.type).toBe('PENDING');
});

test('a stale claim token is refused with 409 and changes nothing', async () => {
  const r = await run();
  const [claimed] = (await t.call('POST', '/api/work_pools/pool/claim_flow_runs', { worker_name: 'w', limit: 1 })).body;
  expect(claimed.flow_run.id).toBe(r.id);
  const stale = await setState(t, r.id, { type: 'RUNNING' }, { claim_token: 'not-the-token' });
  expect(stale.status).toBe(409);
  expect((await read(r.id)).state_type).toBe('PENDING');
  expect((await setState(t, r.id, { type: 'RUNNING' }, { claim_token: claimed.claim_token })).body.status).toBe('ACCEPT');
});
