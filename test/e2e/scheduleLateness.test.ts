import { afterEach, expect, test } from 'vitest';
import { startTestServer, waitFor, type BackgroundProcess } from '../helpers/processes.js';
import { tempDir } from '../helpers/tempDir.js';
import { apiClient, deployFixture, startWorker, type Api } from '../helpers/workerEnv.js';

/** Scheduled runs with the real server and worker processes. */
let home: ReturnType<typeof tempDir>;
const processes: BackgroundProcess[] = [];
afterEach(async () => {
  await Promise.all(processes.splice(0).map((p) => p.stop()));
  home?.remove();
});

interface Run {
  id: string;
  expected_start_time: string;
  state_type: string;
}

const runsOf = async (a: Api, deploymentId: string): Promise<Run[]> =>
  a.post('/flow_runs/filter', { deployments: { id: { any_: [deploymentId] } }, sort: 'EXPECTED_START_TIME_ASC', limit: 200 });

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
};

test('an interval schedule of 2 s: each run starts within 250 ms of its slot (server timestamps)', async () => {
  home = tempDir();
  const started = await startTestServer(home.path);
  processes.push(started.server);
  const a = apiClient(started.apiUrl);
  await a.post('/work_pools/', { name: 'timely', type: 'process' });
  processes.push(startWorker(started.env, ['--pool', 'timely', '--name', 'w']));
  await waitFor(async () => (await a.get('/work_pools/timely')).status === 'READY', 20_000, 'the worker');

  const created = Date.now();
  const deployment = await deployFixture(a, 'timely', 'ok.ts', 'ok', { schedules: [{ schedule: { interval: 2 } }] });
  // Slots right after the schedule is created get their process late (the worker sees them with
  // less than its prefetch window ahead); steady state starts a few slots in.
  const from = created + 6_000;
  const to = from + 5 * 2_000;
  const measured = async () => (await runsOf(a, deployment.id)).filter((r) => Date.parse(r.expected_start_time) >= from && Date.parse(r.expected_start_time) < to);
  await waitFor(async () => {
    const runs = await measured();
    return runs.length === 5 && runs.every((r) => r.state_type === 'COMPLETED');
  }, to - Date.now() + 20_000, 'five scheduled runs to complete');
  await a.post(`/deployments/${deployment.id}/pause_deployment`);

  const lateness: number[] = [];
  for (const run of await measured()) {
    const states: { type: string; timestamp: string }[] = await a.get(`/flow_run_states/?flow_run_id=${run.id}`);
    const running = states.find((s) => s.type === 'RUNNING');
    lateness.push(Date.parse(running?.timestamp ?? '') - Date.parse(run.expected_start_time));
  }
  console.log(`schedule lateness over ${lateness.length} slots: p50 ${percentile(lateness, 50)} ms, p99 ${percentile(lateness, 99)} ms (${lateness.join(', ')})`);
  for (const ms of lateness) {
    expect(ms).toBeGreaterThanOrEqual(0);
    expect(ms).toBeLessThan(250);
  }
}, 60_000);

test('three real server restarts and two redeploys: every slot has exactly one run', async () => {
  home = tempDir();
  const schedules = [{ schedule: { interval: 1 }, slug: 'every-second' }];
  let server = await startTestServer(home.path);
  processes.push(server.server);
  let a = apiClient(server.apiUrl);
  await a.post('/work_pools/', { name: 'idle', type: 'process' });
  const deployment = await deployFixture(a, 'idle', 'ok.ts', 'ok', { schedules });
  for (let restart = 1; restart <= 3; restart++) {
    await server.server.stop();
    processes.splice(processes.indexOf(server.server), 1);
    server = await startTestServer(home.path);
    processes.push(server.server);
    a = apiClient(server.apiUrl);
    if (restart <= 2) {
      // The same schedules, then changed parameters (which recreates the schedule rows).
      await deployFixture(a, 'idle', 'ok.ts', 'ok', { schedules: restart === 1 ? schedules : [{ ...schedules[0], parameters: { round: 2 } }] });
    }
  }
  const runs = await a.post('/flow_runs/filter', { deployments: { id: { any_: [deployment.id] } }, sort: 'EXPECTED_START_TIME_ASC', limit: 200 });
  const slots: number[] = runs.map((r: Run) => Date.parse(r.expected_start_time));
  expect(new Set(slots).size).toBe(slots.length);
  // Runs are kept 100 ahead (the max runs default), so no slot was missed across the restarts.
  for (let i = 1; i < slots.length; i++) expect((slots[i] as number) - (slots[i - 1] as number)).toBe(1000);
}, 60_000);
