import { execa } from 'execa';
import { api, benchEnv, ROOT, spawnBaton, startServer, until } from './lib/harness.js';
import { summary } from './lib/stats.js';

/**
 * Dispatch latency, from the server's and worker's own timestamps: API create_flow_run → the
 * worker has the run's process (the "Started process" / "Handed the run to process" log line:
 * with an engine started ahead, the hand-over), and → the flow's first log line stored. A bare
 * `node -e` spawn is timed in the same run for comparison.
 */
export interface DispatchResult {
  spawned_ms: { p50: number; p95: number; p99: number };
  first_line_ms: { p50: number; p95: number; p99: number };
  bare_spawn_ms: { p50: number; p95: number; p99: number };
}

export async function bareSpawn(n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const proc = execa(process.execPath, ['-e', 'console.log("x")'], { buffer: false, stdin: 'ignore' });
    await new Promise<void>((resolve) => proc.stdout?.once('data', () => resolve()));
    times.push(performance.now() - t0);
    await proc;
  }
  return times;
}

export async function measureDispatch(runs: number): Promise<DispatchResult> {
  const e = await benchEnv();
  const server = await startServer(e);
  const worker = spawnBaton(['worker', 'start', '--pool', 'bench', '--name', 'bench-worker'], e.env);
  try {
    const a = api(e.apiUrl);
    await until(async () => (await a.get('/work_pools/bench')).status === 'READY', 30_000, 'the worker');
    const flow = await a.post('/flows/', { name: 'trivial' });
    const deployment = await a.post('/deployments/', {
      name: 'bench',
      flow_id: flow.id,
      entrypoint: 'bench/flows/trivial.ts:trivial',
      path: ROOT,
      work_pool_name: 'bench',
    });
    const spawned: number[] = [];
    const firstLine: number[] = [];
    for (let i = 0; i < runs + 3; i++) {
      const run = await a.post(`/deployments/${deployment.id}/create_flow_run`, {});
      let logs: { message: string; name: string; timestamp: string }[] = [];
      await until(async () => {
        logs = await a.post('/logs/filter', { logs: { flow_run_id: { any_: [run.id] } } });
        return logs.some((l) => l.message === 'first line');
      }, 30_000, 'the first line').catch((err: Error) => {
        throw new Error(`${err.message}\n${worker.output().slice(-3000)}`);
      });
      await until(async () => (await a.get(`/flow_runs/${run.id}`)).state_type === 'COMPLETED', 30_000, 'completion');
      // Triggers arrive one at a time, a second apart (the worker refills its pre-started engines
      // in between); sustained load is what the throughput benchmark measures.
      await new Promise((r) => setTimeout(r, 1000));
      if (i < 3) continue; // warm-up
      const created = Date.parse(run.created);
      const start = logs.find((l) => l.name === 'baton.worker' && /^(Started process|Handed the run to process)/.test(l.message));
      const first = logs.find((l) => l.message === 'first line');
      if (start) spawned.push(Date.parse(start.timestamp) - created);
      if (first) firstLine.push(Date.parse(first.timestamp) - created);
    }
    return { spawned_ms: summary(spawned), first_line_ms: summary(firstLine), bare_spawn_ms: summary(await bareSpawn(runs)) };
  } finally {
    await worker.stop();
    await server.stop();
    e.cleanup();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 100);
  console.log(JSON.stringify(await measureDispatch(n), null, 2));
}
