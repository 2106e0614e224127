import { afterEach, beforeEach, expect, test } from 'vitest';
import type { ManualClock } from '../../src/domain/time.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { createDeployment, createPool, createRun, setState } from '../helpers/objects.js';

/** Claims are leases: a worker that stops heartbeating loses its runs. */
let t: TestApp;
let clock: ManualClock;
let deployment: { id: string };

beforeEach(async () => {
  t = await testApp({ clock: 'manual' });
  clock = t.clock as ManualClock;
  await createPool(t);
  deployment = await createDeployment(t, { concurrency_limit: 1 });
});
afterEach(async () => {
  await t.close();
});

async function claimAndRun(worker: string, policy?: Record<string, unknown>) {
  const run = await createRun(t, deployment.id);
  if (policy) await t.call('PATCH', `/api/flow_runs/${run.id}`, { empirical_policy: policy });
  await t.call('POST', '/api/work_pools/pool/workers/heartbeat', { name: worker, heartbeat_interval_seconds: 10 });
  const [claimed] = (await t.call('POST', '/api/work_pools/pool/claim_flow_runs', { worker_name: worker, limit: 1 })).body;
  expect(claimed.flow_run.id).toBe(run.id);
  await setState(t, run.id, { type: 'RUNNING' }, { claim_token: claimed.claim_token });
  return { run, token: claimed.claim_token as string };
}
const read = async (id: string) => (await t.call('GET', `/api/flow_runs/${id}`)).body;

test('RUNNING runs of a worker silent for 3 intervals crash, free their slot, and its late reports are refused', async () => {
  const { run, token } = await claimAndRun('w1');
  clock.advance(29_000);
  expect(await t.store.flowRuns.reapExpiredLeases()).toEqual([]);
  clock.advance(2_000);
  expect(await t.store.flowRuns.reapExpiredLeases()).toEqual([{ flowRunId: run.id, from: 'RUNNING', to: 'Crashed' }]);
  const crashed = await read(run.id);
  expect(crashed.state_type).toBe('CRASHED');
  expect(crashed.state.message).toMatch(/Worker 'w1' stopped heartbeating/);
  expect((await t.call('GET', `/api/deployments/${deployment.id}`)).body.global_concurrency_limit.active_slots).toBe(0);
  const late = await setState(t, run.id, { type: 'COMPLETED' }, { claim_token: token });
  expect(late.status).toBe(409);
  expect((await read(run.id)).state_type).toBe('CRASHED');
});

test('with retries left, the crashed run goes back to the queue for any worker', async () => {
  const { run } = await claimAndRun('w1', { retries: 1 });
  clock.advance(31_000);
  await t.store.flowRuns.reapExpiredLeases();
  expect(await read(run.id)).toMatchObject({ state_type: 'SCHEDULED', state_name: 'AwaitingRetry', empirical_policy: { retry_type: 'reschedule' } });
  await t.call('POST', '/api/work_pools/pool/workers/heartbeat', { name: 'w2', heartbeat_interval_seconds: 10 });
  const [again] = (await t.call('POST', '/api/work_pools/pool/claim_flow_runs', { worker_name: 'w2', limit: 1 })).body;
  expect(again.flow_run.id).toBe(run.id);
  expect(again.flow_run.worker_name).toBe('w2');
});

test('a live worker keeps its runs; CANCELLING runs of a dead worker end CANCELLED; stuck cancellations time out', async () => {
  const { run } = await claimAndRun('w1');
  for (let i = 0; i < 5; i++) {
    clock.advance(9_000);
    await t.call('POST', '/api/work_pools/pool/workers/heartbeat', { name: 'w1', heartbeat_interval_seconds: 10 });
    expect(await t.store.flowRuns.reapExpiredLeases()).toEqual([]);
  }
  await t.call('PATCH', `/api/flow_runs/${run.id}`, { infrastructure_pid: '1' });
  await setState(t, run.id, { type: 'CANCELLING' });
  clock.advance(31_000);
  await t.store.flowRuns.reapExpiredLeases();
  expect((await read(run.id)).state_type).toBe('CANCELLED');

  const other = await claimAndRun('w2');
  await t.call('PATCH', `/api/flow_runs/${other.run.id}`, { infrastructure_pid: '2' });
  await setState(t, other.run.id, { type: 'CANCELLING' });
  clock.advance(20_000);
  await t.call('POST', '/api/work_pools/pool/workers/heartbeat', { name: 'w2', heartbeat_interval_seconds: 10 });
  expect(await t.store.flowRuns.timeoutCancelling(60_000)).toEqual([]);
  clock.advance(41_000);
  await t.call('POST', '/api/work_pools/pool/workers/heartbeat', { name: 'w2', heartbeat_interval_seconds: 10 });
  expect(await t.store.flowRuns.timeoutCancelling(60_000)).toEqual([{ flowRunId: other.run.id, from: 'CANCELLING', to: 'Cancelled' }]);
  expect((await read(other.run.id)).state.message).toMatch(/cancellation timed out/);
});
