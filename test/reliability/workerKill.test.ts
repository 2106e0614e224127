import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestServer, waitFor, type BackgroundProcess } from '../helpers/processes.js';
import { tempDir } from '../helpers/tempDir.js';
import { alive, apiClient, deployFixture, runLogs, startWorker, waitForEnd, type Api } from '../helpers/workerEnv.js';
import { scale } from './scale.js';

/**
 * A worker killed with SIGKILL mid-run: its runs turn CRASHED within 3 heartbeat intervals, their
 * concurrency slots are freed, and retries are honoured by another worker.
 */
let home: ReturnType<typeof tempDir>;
let server: BackgroundProcess;
const workers: BackgroundProcess[] = [];
let a: Api;
let env: Record<string, string>;
const HEARTBEAT_S = 1;

beforeAll(async () => {
  home = tempDir();
  const started = await startTestServer(home.path);
  server = started.server;
  env = { ...started.env, BATON_WORKER_HEARTBEAT_SECONDS: String(HEARTBEAT_S) };
  a = apiClient(started.apiUrl);
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop('SIGKILL')));
  await server?.stop();
  home.remove();
});

test('runs of a SIGKILLed worker crash within 3 heartbeats, free their slots, and are retried elsewhere', async () => {
  const RUNS = scale(8, 4);
  await a.post('/work_pools/', { name: 'kill', type: 'process' });
  const deployment = await deployFixture(a, 'kill', 'slowFirstAttempt.ts', 'slowFirstAttempt', { concurrency_limit: RUNS });
  const doomed = startWorker(env, ['--pool', 'kill', '--name', 'doomed']);
  workers.push(doomed);
  const runs: string[] = [];
  for (let i = 0; i < RUNS; i++) runs.push((await a.post(`/deployments/${deployment.id}/create_flow_run`, {})).id);
  await waitFor(
    async () => (await Promise.all(runs.map((id) => runLogs(a, id)))).every((logs) => logs.some((l) => l.message === 'attempt 1 sleeping')),
    60_000,
    'every run to be in its first attempt',
  );
  const pids = await Promise.all(runs.map(async (id) => Number((await a.get(`/flow_runs/${id}`)).infrastructure_pid)));
  expect((await a.get(`/deployments/${deployment.id}`)).global_concurrency_limit.active_slots).toBe(RUNS);

  doomed.proc.kill('SIGKILL');
  await doomed.proc;
  // The lease runs from the worker's last heartbeat, as the server recorded it.
  const [record] = await a.post('/work_pools/kill/workers/filter', { workers: { status: { any_: ['ONLINE', 'OFFLINE'] } } });
  const lastHeartbeat = Date.parse(record.last_heartbeat_time);
  const detected: number[] = [];
  await waitFor(async () => {
    for (const [i, id] of runs.entries()) {
      const states: { name: string; timestamp: string }[] = await a.get(`/flow_run_states/?flow_run_id=${id}`);
      const crash = states.find((s) => s.name === 'AwaitingRetry' || s.name === 'Crashed');
      if (crash && detected[i] === undefined) detected[i] = Date.parse(crash.timestamp) - lastHeartbeat;
    }
    return detected.filter((d) => d !== undefined).length === RUNS;
  }, 30_000, 'every run to be marked crashed');
  const worst = Math.max(...detected);
  // Within 3 heartbeat intervals of the last heartbeat (plus a little for the sweep itself).
  expect(worst).toBeLessThanOrEqual(3 * HEARTBEAT_S * 1000 + 250);
  // The crashed attempts freed their deployment slots.
  expect((await a.get(`/deployments/${deployment.id}`)).global_concurrency_limit.active_slots).toBe(0);
  // The orphaned flow processes are gone (the engine takes its group down when its worker dies).
  await waitFor(() => pids.every((pid) => !alive(pid)), 10_000, 'the orphaned flow processes to exit');

  // Retries are honoured: another worker runs attempt 2 of every run.
  workers.push(startWorker(env, ['--pool', 'kill', '--name', 'rescuer']));
  for (const id of runs) {
    const done = await waitForEnd(a, id, 60_000);
    expect(done.state_type).toBe('COMPLETED');
    expect((await runLogs(a, id)).map((l) => l.message)).toContain('attempt 2 done');
  }
  const names = (await a.get(`/flow_run_states/?flow_run_id=${runs[0]}`)).map((s: { name: string }) => s.name);
  expect(names).toContain('AwaitingRetry');
  console.log(
    `worker SIGKILL: ${RUNS} runs, heartbeat ${HEARTBEAT_S}s, crashed ${Math.min(...detected)}–${worst} ms after the worker's last heartbeat (3 intervals = ${3 * HEARTBEAT_S * 1000} ms), slots freed, ${RUNS} retried to COMPLETED`,
  );
}, 180_000);
