import { afterEach, expect, test } from 'vitest';
import { startBaton, startTestServer, waitFor, type BackgroundProcess } from '../helpers/processes.js';
import { tempDir } from '../helpers/tempDir.js';
import { alive, apiClient, deployFixture, runLogs, startWorker, waitForEnd } from '../helpers/workerEnv.js';

/** The worker survives a server restart, and stops in two stages on signals. */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups.length = 0;
});

async function setup() {
  const home = tempDir();
  const started = await startTestServer(home.path);
  let server: BackgroundProcess = started.server;
  cleanups.push(() => home.remove(), () => server.stop());
  const a = apiClient(started.apiUrl);
  await a.post('/work_pools/', { name: 'p', type: 'process' });
  return {
    a,
    env: started.env,
    restartServer: async () => {
      server = startBaton(['server', 'start'], started.env);
      await waitFor(async () => (await fetch(`${started.apiUrl}/health`)).ok, 20_000, 'the server to come back');
    },
    stopServer: () => server.stop(),
  };
}

test('the server goes away for a few seconds while a flow runs: the worker carries on and delivers the final state and logs', async () => {
  const { a, env, stopServer, restartServer } = await setup();
  const worker = startWorker(env, ['--pool', 'p']);
  cleanups.push(() => worker.stop('SIGKILL'));
  const deployment = await deployFixture(a, 'p', 'naps.ts', 'naps');
  const run = await a.post(`/deployments/${deployment.id}/create_flow_run`, { parameters: { ms: 4000 } });
  await waitFor(async () => (await a.get(`/flow_runs/${run.id}`)).state_type === 'RUNNING', 20_000, 'the run to start');
  await stopServer();
  await new Promise((r) => setTimeout(r, 3000));
  await restartServer();
  const done = await waitForEnd(a, run.id, 30_000);
  expect(done.state_type).toBe('COMPLETED');
  const messages = (await runLogs(a, run.id)).map((l) => l.message);
  expect(messages).toContain('nap start');
  expect(messages).toContain('nap end');
  // It noticed the outage, and carried on.
  expect(worker.output()).toMatch(/Cannot reach the baton server/);
  // And it goes on claiming new runs.
  const next = await a.post(`/deployments/${deployment.id}/create_flow_run`, { parameters: { ms: 0 } });
  expect((await waitForEnd(a, next.id, 30_000)).state_type).toBe('COMPLETED');
}, 90_000);

test('a worker started before its server waits for it instead of exiting', async () => {
  const home = tempDir();
  cleanups.push(() => home.remove());
  const { freePort, batonEnv } = await import('../helpers/processes.js');
  const env = batonEnv(home.path, await freePort());
  const worker = startWorker(env, ['--pool', 'late']);
  cleanups.push(() => worker.stop('SIGKILL'));
  await waitFor(() => /Cannot reach the baton server/.test(worker.output()), 20_000, 'the worker to report the missing server');
  expect(worker.proc.exitCode).toBeNull();
  const server = startBaton(['server', 'start'], env);
  cleanups.push(() => server.stop());
  await waitFor(() => /Worker '.*' started!/.test(worker.output()), 30_000, 'the worker to start once the server is up');
});

test('first SIGTERM: stop claiming and let running flows finish; second: kill them; then exit', async () => {
  const { a, env } = await setup();
  const deployment = await deployFixture(a, 'p', 'naps.ts', 'naps');
  const sleepy = await deployFixture(a, 'p', 'sleepsForever.ts', 'sleepsForever');

  // Drain: the running flow finishes, a run created after the signal is left for others.
  const drained = startWorker(env, ['--pool', 'p']);
  cleanups.push(() => drained.stop('SIGKILL'));
  const run = await a.post(`/deployments/${deployment.id}/create_flow_run`, { parameters: { ms: 2500 } });
  await waitFor(async () => (await a.get(`/flow_runs/${run.id}`)).state_type === 'RUNNING', 20_000, 'the run to start');
  drained.proc.kill('SIGTERM');
  await waitFor(() => /Stopping/.test(drained.output()), 10_000, 'the worker to start draining');
  const later = await a.post(`/deployments/${deployment.id}/create_flow_run`, { parameters: { ms: 0 } });
  await drained.proc;
  expect(drained.proc.exitCode).toBe(0);
  expect((await a.get(`/flow_runs/${run.id}`)).state_type).toBe('COMPLETED');
  expect((await a.get(`/flow_runs/${later.id}`)).state_type).toBe('SCHEDULED');

  // Kill: a second signal stops a flow that would never finish.
  const killer = startWorker(env, ['--pool', 'p']);
  cleanups.push(() => killer.stop('SIGKILL'));
  const endless = await a.post(`/deployments/${sleepy.id}/create_flow_run`, {});
  await waitFor(async () => (await a.get(`/flow_runs/${endless.id}`)).state_type === 'RUNNING', 20_000, 'the endless run to start');
  const pid = Number((await a.get(`/flow_runs/${endless.id}`)).infrastructure_pid);
  killer.proc.kill('SIGTERM');
  await waitFor(() => /Stopping/.test(killer.output()), 10_000, 'the first signal');
  killer.proc.kill('SIGTERM');
  await killer.proc;
  const ended = await a.get(`/flow_runs/${endless.id}`);
  expect(ended.state_type).toBe('CRASHED');
  expect(ended.state.message).toMatch(/worker was stopped/);
  expect(alive(pid)).toBe(false);
}, 90_000);
