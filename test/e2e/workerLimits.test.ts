import { expect, test } from 'vitest';
import { waitFor } from '../helpers/processes.js';
import { useSystem } from '../helpers/system.js';
import { deployFixture } from '../helpers/workerEnv.js';

const sys = useSystem();

test('two workers with --limit 2 and 20 runs: each run completes exactly once, no worker runs more than 2 at a time', async () => {
  const a = sys.api;
  await a.post('/work_pools/', { name: 'shared', type: 'process' });
  const deployment = await deployFixture(a, 'shared', 'naps.ts', 'naps');
  sys.worker(['--pool', 'shared', '--limit', '2', '--name', 'w-a']);
  sys.worker(['--pool', 'shared', '--limit', '2', '--name', 'w-b']);
  await waitFor(async () => (await a.post('/work_pools/shared/workers/filter', {})).length === 2, 20_000, 'both workers');
  const runs = [];
  for (let i = 0; i < 20; i++) runs.push(await a.post(`/deployments/${deployment.id}/create_flow_run`, { parameters: { ms: 300 } }));
  await waitFor(
    async () => (await a.post('/flow_runs/count', { flow_runs: { state: { type: { any_: ['COMPLETED'] } } } })) === 20,
    90_000,
    'all 20 runs to complete',
  );

  const intervals = new Map<string, [number, number][]>();
  for (const run of runs) {
    const full = await a.get(`/flow_runs/${run.id}`);
    const states: { type: string; timestamp: string }[] = await a.get(`/flow_run_states/?flow_run_id=${run.id}`);
    // Exactly once: one claim, one start, one completion.
    expect(states.map((s) => s.type)).toEqual(['SCHEDULED', 'PENDING', 'RUNNING', 'COMPLETED']);
    expect(full.run_count).toBe(1);
    const claimed = Date.parse(states[1]?.timestamp ?? '');
    const ended = Date.parse(full.end_time);
    intervals.set(full.worker_name, [...(intervals.get(full.worker_name) ?? []), [claimed, ended]]);
  }
  expect([...intervals.keys()].sort()).toEqual(['w-a', 'w-b']);
  for (const [name, spans] of intervals) {
    // The most runs a worker held at once, from claim to end.
    const events = spans.flatMap(([s, e]) => [[s, 1], [e, -1]] as [number, number][]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    let now = 0;
    let max = 0;
    for (const [, d] of events) max = Math.max(max, (now += d));
    expect(max, name).toBeLessThanOrEqual(2);
    expect(max, name).toBeGreaterThanOrEqual(1);
  }
}, 120_000);
