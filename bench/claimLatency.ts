import { api, benchEnv, startServer } from './lib/harness.js';
import { summary } from './lib/stats.js';

/**
 * The long-poll claim: a worker waits in `claim_flow_runs` with `wait_seconds`; another client
 * creates a run. Time from sending create_flow_run to the claim's answer arriving.
 */
export async function measureClaimLatency(n: number): Promise<{ p50: number; p95: number; p99: number }> {
  const e = await benchEnv();
  const server = await startServer(e);
  try {
    const a = api(e.apiUrl);
    await a.post('/work_pools/', { name: 'bench', type: 'process' });
    const flow = await a.post('/flows/', { name: 'latency' });
    const deployment = await a.post('/deployments/', { name: 'd', flow_id: flow.id, work_pool_name: 'bench' });
    const times: number[] = [];
    for (let i = 0; i < n + 5; i++) {
      const claim = a.post('/work_pools/bench/claim_flow_runs', { worker_name: 'w', limit: 1, wait_seconds: 10 });
      await new Promise((r) => setTimeout(r, 20));
      const t0 = performance.now();
      const create = a.post(`/deployments/${deployment.id}/create_flow_run`, {});
      const claimed = await claim;
      const ms = performance.now() - t0;
      await create;
      if (claimed.length !== 1) throw new Error('the claim came back empty');
      if (i >= 5) times.push(ms);
    }
    return summary(times);
  } finally {
    await server.stop();
    e.cleanup();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await measureClaimLatency(Number(process.argv[2] ?? 100))));
}
