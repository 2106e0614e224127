import { api, benchEnv, ROOT, spawnBaton, startServer, until } from './lib/harness.js';
import { percentile } from './lib/stats.js';

/**
 * Schedule lateness: how long after its slot a scheduled run's flow starts, with a worker up.
 * A deployment with an interval schedule of 2 s; for each slot, lateness = the timestamp of the
 * run's RUNNING state (written by the server) minus the slot. Only slots the worker could claim
 * with its whole prefetch window (10 s) count: the first ones after the schedule is created are a
 * different case (the worker sees them late).
 */
export interface LatenessResult {
  slots: number;
  lateness_ms: { p50: number; p99: number; max: number };
}

const INTERVAL_S = 2;
const PREFETCH_S = 10;

export async function measureScheduleLateness(slots: number): Promise<LatenessResult> {
  const e = await benchEnv();
  const server = await startServer(e);
  const worker = spawnBaton(['worker', 'start', '--pool', 'bench', '--name', 'bench-worker', '--prefetch-seconds', String(PREFETCH_S)], e.env);
  try {
    const a = api(e.apiUrl);
    await until(async () => (await a.get('/work_pools/bench')).status === 'READY', 30_000, 'the worker');
    const flow = await a.post('/flows/', { name: 'trivial' });
    const created = Date.now();
    const deployment = await a.post('/deployments/', {
      name: 'every-2s',
      flow_id: flow.id,
      entrypoint: 'bench/flows/trivial.ts:trivial',
      path: ROOT,
      work_pool_name: 'bench',
      schedules: [{ schedule: { interval: INTERVAL_S } }],
    });
    const from = created + (PREFETCH_S + INTERVAL_S) * 1000;
    const to = from + slots * INTERVAL_S * 1000;
    const measured = async () =>
      ((await a.post('/flow_runs/filter', { deployments: { id: { any_: [deployment.id] } }, sort: 'EXPECTED_START_TIME_ASC', limit: 200 })) as Run[]).filter((r) => {
        const slot = Date.parse(r.expected_start_time);
        return slot >= from && slot < to;
      });
    await until(async () => {
      const runs = await measured();
      return runs.length >= slots && runs.every((r) => ['COMPLETED', 'FAILED', 'CRASHED', 'CANCELLED'].includes(r.state_type));
    }, (to - Date.now()) + 60_000, `${slots} scheduled runs to end`);
    await a.post(`/deployments/${deployment.id}/pause_deployment`);
    const lateness: number[] = [];
    for (const run of await measured()) {
      const states: { type: string; name: string; timestamp: string; message: string | null }[] = await a.get(`/flow_run_states/?flow_run_id=${run.id}`);
      if (run.state_type !== 'COMPLETED') {
        const history = states.map((s) => `${s.name} at ${s.timestamp}${s.message ? ` (${s.message})` : ''}`).join(', ');
        throw new Error(`run ${run.id} for ${run.expected_start_time} ended ${run.state_type}: ${history}`);
      }
      const running = states.find((s) => s.type === 'RUNNING');
      if (!running) throw new Error(`run ${run.id} has no RUNNING state`);
      lateness.push(Date.parse(running.timestamp) - Date.parse(run.expected_start_time));
    }
    return { slots: lateness.length, lateness_ms: { p50: percentile(lateness, 50), p99: percentile(lateness, 99), max: Math.max(...lateness) } };
  } finally {
    await worker.stop();
    await server.stop();
    e.cleanup();
  }
}

interface Run {
  id: string;
  expected_start_time: string;
  state_type: string;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 25);
  console.log(JSON.stringify(await measureScheduleLateness(n), null, 2));
}
