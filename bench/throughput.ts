import { execa } from 'execa';
import { api, benchEnv, ROOT, rssMb, spawnBaton, startServer, until } from './lib/harness.js';

export interface ThroughputResult {
  runs_per_s: number;
  bare_runs_per_s: number;
  worker_rss_mb: number;
}

/** `n` bare `node` processes printing a line, `concurrency` at a time: the machine's own limit. */
export async function bareThroughput(n: number, concurrency: number): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < n) await execa(process.execPath, ['-e', 'console.log("x")'], { stdin: 'ignore' });
    }),
  );
  return Math.round((n / ((performance.now() - t0) / 1000)) * 10) / 10;
}

/**
 * Runs per second for `n` trivial runs through one worker with `--limit 8`: from the first run's
 * creation to the last run's end, by the server's timestamps.
 */
export async function measureThroughput(n: number): Promise<ThroughputResult> {
  const e = await benchEnv();
  const server = await startServer(e);
  const worker = spawnBaton(['worker', 'start', '--pool', 'bench', '--limit', '8', '--name', 'bench-worker'], e.env);
  try {
    const a = api(e.apiUrl);
    await until(async () => (await a.get('/work_pools/bench')).status === 'READY', 30_000, 'the worker');
    const flow = await a.post('/flows/', { name: 'trivial' });
    const deployment = await a.post('/deployments/', { name: 'bench', flow_id: flow.id, entrypoint: 'bench/flows/trivial.ts:trivial', path: ROOT, work_pool_name: 'bench' });
    // Warm the transform cache and the worker's pre-started engines.
    const warm = await a.post(`/deployments/${deployment.id}/create_flow_run`, {});
    await until(async () => (await a.get(`/flow_runs/${warm.id}`)).state_type === 'COMPLETED', 60_000, 'the warm-up run');
    await new Promise((r) => setTimeout(r, 2000));
    const first = Date.now();
    const ids: string[] = [];
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(worker.proc.pid))), 200);
    for (let i = 0; i < n; i++) ids.push((await a.post(`/deployments/${deployment.id}/create_flow_run`, {})).id);
    await until(
      async () => (await a.post('/flow_runs/count', { flow_runs: { id: { any_: ids.slice(0, 1000) }, state: { type: { any_: ['COMPLETED', 'FAILED', 'CRASHED'] } } } })) >= Math.min(n, 1000) &&
        (n <= 1000 || (await a.post('/flow_runs/count', { flow_runs: { state: { type: { any_: ['COMPLETED'] } } } })) >= n + 1),
      900_000,
      `all ${n} runs`,
    );
    clearInterval(sampler);
    const last = await a.post('/flow_runs/filter', { flow_runs: { id: { any_: ids.slice(-200) } }, sort: 'END_TIME_DESC', limit: 1 });
    const end = Date.parse(last[0].end_time);
    const runsPerS = Math.round((n / ((end - first) / 1000)) * 10) / 10;
    return { runs_per_s: runsPerS, bare_runs_per_s: await bareThroughput(n, 8), worker_rss_mb: peak };
  } finally {
    await worker.stop();
    await server.stop();
    e.cleanup();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await measureThroughput(Number(process.argv[2] ?? 1000)), null, 2));
}

export { execa };
