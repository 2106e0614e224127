import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, waitFor, type BackgroundProcess } from '../helpers/processes.js';
import { tempDir } from '../helpers/tempDir.js';
import { alive, apiClient, deployFixture, runLogs, startWorker, waitForEnd, type Api } from '../helpers/workerEnv.js';

/** How runs end when things go wrong, each with a tiny real fixture flow and a real worker. */
let home: ReturnType<typeof tempDir>;
let server: BackgroundProcess;
let worker: BackgroundProcess;
let env: Record<string, string>;
let a: Api;

beforeAll(async () => {
  home = tempDir();
  const started = await startTestServer(home.path);
  server = started.server;
  env = { ...started.env, BATON_WORKER_CANCEL_GRACE_SECONDS: '2' };
  a = apiClient(started.apiUrl);
  await a.post('/work_pools/', { name: 'failures', type: 'process' });
  worker = startWorker(env, ['--pool', 'failures']);
  await waitFor(async () => (await a.get('/work_pools/failures')).status === 'READY', 20_000, 'the worker');
});
afterAll(async () => {
  await worker?.stop();
  await server?.stop();
  home.remove();
});

async function trigger(file: string, exportName: string, extra: Record<string, unknown> = {}) {
  const deployment = await deployFixture(a, 'failures', file, exportName, extra);
  return a.post(`/deployments/${deployment.id}/create_flow_run`, {});
}

test('a process that exits with code 3 without a final state is CRASHED with the code', async () => {
  const run = await trigger('exits3.ts', 'exits3');
  const done = await waitForEnd(a, run.id);
  expect(done.state_type).toBe('CRASHED');
  expect(done.state.message).toContain('exited with code 3');
  expect((await runLogs(a, run.id)).map((l) => l.message)).toContain('exiting with code 3');
});

test('a flow that throws is FAILED with the message, and its stack is in the logs', async () => {
  const run = await trigger('fails.ts', 'fails');
  const done = await waitForEnd(a, run.id);
  expect(done.state_type).toBe('FAILED');
  expect(done.state.message).toContain('boom');
  const errorLines = (await runLogs(a, run.id)).filter((l) => l.level >= 40).map((l) => l.message).join('\n');
  expect(errorLines).toMatch(/Error: boom\n\s+at /);
});

test('retries twice, then completes: AwaitingRetry → Retrying, three attempts', async () => {
  const run = await trigger('flaky.ts', 'flaky');
  const done = await waitForEnd(a, run.id);
  expect(done.state_type).toBe('COMPLETED');
  const full = await a.get(`/flow_runs/${run.id}`);
  expect(full.run_count).toBe(3);
  const names = (await a.get(`/flow_run_states/?flow_run_id=${run.id}`)).map((s: { name: string }) => s.name);
  expect(names.filter((n: string) => n === 'AwaitingRetry')).toHaveLength(2);
  expect(names.filter((n: string) => n === 'Retrying')).toHaveLength(2);
  const attempts = (await runLogs(a, run.id)).map((l) => l.message).filter((m) => /^attempt \d$/.test(m));
  expect(attempts).toEqual(['attempt 1', 'attempt 2', 'attempt 3']);
});

test('a flow exceeding its timeout is FAILED and its process is gone', async () => {
  const run = await trigger('timesOut.ts', 'timesOut');
  const done = await waitForEnd(a, run.id);
  expect(done.state_type).toBe('FAILED');
  expect(done.state.message).toMatch(/timeout of 1s/);
  const pid = Number((await a.get(`/flow_runs/${run.id}`)).infrastructure_pid);
  expect(pid).toBeGreaterThan(0);
  expect(alive(pid)).toBe(false);
});

test('cancelling a flow that spawned grandchildren: CANCELLED, and no process of the tree survives', async () => {
  const run = await trigger('spawnsChildren.ts', 'spawnsChildren');
  let children: number[] = [];
  await waitFor(async () => {
    children = (await runLogs(a, run.id)).map((l) => /spawned child pid (\d+)/.exec(l.message)?.[1]).filter(Boolean).map(Number);
    return children.length === 2;
  }, 20_000, 'the flow to spawn its children');
  const pid = Number((await a.get(`/flow_runs/${run.id}`)).infrastructure_pid);
  expect(children.every(alive)).toBe(true);
  const cancel = await a.post(`/flow_runs/${run.id}/set_state`, { state: { type: 'CANCELLING' } });
  expect(cancel.status).toBe('ACCEPT');
  const done = await waitForEnd(a, run.id);
  expect(done.state_type).toBe('CANCELLED');
  for (const p of [pid, ...children]) expect(alive(p), `pid ${p}`).toBe(false);
});

test('a missing entrypoint is FAILED with a one-line reason', async () => {
  const flow = await a.post('/flows/', { name: 'missing' });
  const deployment = await a.post('/deployments/', {
    name: 'test',
    flow_id: flow.id,
    entrypoint: 'flows/does-not-exist.ts:nope',
    path: home.path,
    work_pool_name: 'failures',
  });
  const run = await a.post(`/deployments/${deployment.id}/create_flow_run`, {});
  const done = await waitForEnd(a, run.id);
  expect(done.state_type).toBe('FAILED');
  expect(done.state.message).toMatch(/flows\/does-not-exist\.ts/);
  expect(done.state.message).not.toContain('\n');
});

describe('a worker killed mid-run', () => {
  test('its run is CRASHED once its lease lapses (heartbeat lowered to 1 s)', async () => {
    await a.post('/work_pools/', { name: 'doomed', type: 'process' });
    const doomed = startWorker({ ...env, BATON_WORKER_HEARTBEAT_SECONDS: '1' }, ['--pool', 'doomed']);
    const deployment = await deployFixture(a, 'doomed', 'sleepsForever.ts', 'sleepsForever');
    const run = await a.post(`/deployments/${deployment.id}/create_flow_run`, {});
    await waitFor(async () => (await a.get(`/flow_runs/${run.id}`)).state_type === 'RUNNING', 20_000, 'the run to start');
    const pid = Number((await a.get(`/flow_runs/${run.id}`)).infrastructure_pid);
    doomed.proc.kill('SIGKILL');
    await doomed.proc;
    const killedAt = Date.now();
    const done = await waitForEnd(a, run.id, 20_000);
    expect(done.state_type).toBe('CRASHED');
    expect(done.state.message).toMatch(/stopped heartbeating/);
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    // The engine exits when its worker's channel closes.
    await waitFor(() => !alive(pid), 10_000, 'the orphaned flow process to exit');
  });
});
