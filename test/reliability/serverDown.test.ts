import { expect, test } from 'vitest';
import { waitFor } from '../helpers/processes.js';
import { useSystem } from '../helpers/system.js';
import { deployFixture, runLogs, waitForEnd } from '../helpers/workerEnv.js';
import { scale } from './scale.js';

/** The server is down for 10 s while runs execute: workers reconnect; every final state and log line arrives. */
const sys = useSystem();

test('runs in flight while the server is down for 10 s all finish with their logs', async () => {
  const RUNS = scale(12, 4);
  const a = sys.api;
  await a.post('/work_pools/', { name: 'outage', type: 'process' });
  const deployment = await deployFixture(a, 'outage', 'naps.ts', 'naps');
  const workers = [sys.worker(['--pool', 'outage', '--name', 'a']), sys.worker(['--pool', 'outage', '--name', 'b'])];
  const runs: string[] = [];
  for (let i = 0; i < RUNS; i++) runs.push((await a.post(`/deployments/${deployment.id}/create_flow_run`, { parameters: { ms: 6000 } })).id);
  await waitFor(async () => (await a.post('/flow_runs/count', { flow_runs: { state: { type: { any_: ['RUNNING'] } } } })) === RUNS, 60_000, 'every run to be running');

  await sys.stopServer();
  const downAt = Date.now();
  await new Promise((r) => setTimeout(r, 10_000));
  await sys.startServer();
  const downFor = Date.now() - downAt;

  for (const id of runs) {
    const done = await waitForEnd(a, id, 60_000);
    expect(done.state_type).toBe('COMPLETED');
    const messages = (await runLogs(a, id)).map((l) => l.message);
    expect(messages).toContain('nap start');
    expect(messages).toContain('nap end');
  }
  for (const w of workers) expect(w.proc.exitCode).toBeNull();
  // And they claim new work after the outage.
  const after = await a.post(`/deployments/${deployment.id}/create_flow_run`, { parameters: { ms: 0 } });
  expect((await waitForEnd(a, after.id, 60_000)).state_type).toBe('COMPLETED');
  console.log(`server down ${(downFor / 1000).toFixed(1)} s: ${RUNS} runs in flight, ${RUNS} completed with all their logs, 2 workers reconnected`);
}, 180_000);
