import { statSync } from 'node:fs';
import { join } from 'node:path';
import { api, benchEnv, rssMb, startServer, spawnBaton, until } from './lib/harness.js';
import { seedRuns } from './lib/seed.js';
import { percentile } from './lib/stats.js';

export interface ApiResult {
  create_flow_run_per_s: number;
  filter_p95_ms: number;
  runs_in_db: number;
  log_lines_per_s: number;
  memory: { server_idle: number; server_load: number };
  db_mb_per_100k_runs: number;
}

/** Keeps `concurrency` requests in flight until `total` are done; returns requests per second. */
async function rate(total: number, concurrency: number, one: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await one(next++);
    }),
  );
  return Math.round(total / ((performance.now() - t0) / 1000));
}

export async function measureApi(runsInDb: number, creates: number): Promise<ApiResult> {
  const e = await benchEnv();
  const dbPath = join(e.home, 'baton.db');
  const seeded = seedRuns(dbPath, runsInDb);
  const sizeAfterSeed = statSync(dbPath).size;
  const server = await startServer(e);
  try {
    const a = api(e.apiUrl);
    await new Promise((r) => setTimeout(r, 1000));
    const idle = rssMb(server.proc.pid);

    // Filters the UI and API clients use, against the seeded history.
    const bodies = [
      {},
      { limit: 50 },
      { flow_runs: { state: { type: { any_: ['FAILED', 'CRASHED'] } } }, limit: 50 },
      { flow_runs: { deployment_id: { any_: [seeded.deploymentIds[3]] } }, limit: 50 },
      { flow_runs: { tags: { all_: ['nightly'] } }, limit: 50 },
      { flow_runs: { state: { name: { any_: ['Scheduled'] } } }, sort: 'EXPECTED_START_TIME_DESC', limit: 50 },
      { deployments: { id: { any_: [seeded.deploymentIds[7]] } }, sort: 'START_TIME_DESC', limit: 50 },
      { flow_runs: { name: { like_: 'run-99' } }, limit: 50 },
    ];
    for (const b of bodies) await a.post('/flow_runs/filter', b); // warm
    const times: number[] = [];
    for (let round = 0; round < 25; round++) {
      for (const b of bodies) {
        const t0 = performance.now();
        await a.post('/flow_runs/filter', b);
        times.push(performance.now() - t0);
      }
    }
    const filterP95 = percentile(times, 95);

    // create_flow_run through the API, 8 clients at a time.
    await a.post('/work_pools/', { name: 'bench', type: 'process' });
    const flow = await a.post('/flows/', { name: 'creates' });
    const deployment = await a.post('/deployments/', {
      name: 'bench',
      flow_id: flow.id,
      entrypoint: 'x.ts:x',
      work_pool_name: 'bench',
      parameter_openapi_schema: { type: 'object', properties: { n: { type: 'integer' } } },
    });
    let peak = idle;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(server.proc.pid))), 100);
    const createRate = await rate(creates, 8, (i) => a.post(`/deployments/${deployment.id}/create_flow_run`, { parameters: { n: i } }));

    // Log ingestion in worker-sized batches.
    const run = await a.post(`/deployments/${deployment.id}/create_flow_run`, {});
    const batch = Array.from({ length: 1000 }, (_, i) => ({
      name: 'baton.flow_runs',
      level: 20,
      message: `log line ${i} with some typical length of text in it`,
      timestamp: new Date().toISOString(),
      flow_run_id: run.id,
    }));
    const batches = 40;
    const logRate = (await rate(batches, 2, () => a.post('/logs/', batch))) * batch.length;
    clearInterval(sampler);
    await server.stop();
    // Database growth per 100k runs (runs with their states), after the server checkpointed.
    const perRun = sizeAfterSeed / runsInDb;
    return {
      create_flow_run_per_s: createRate,
      filter_p95_ms: filterP95,
      runs_in_db: runsInDb,
      log_lines_per_s: logRate,
      memory: { server_idle: idle, server_load: peak },
      db_mb_per_100k_runs: Math.round(((perRun * 100_000) / 1024 / 1024) * 10) / 10,
    };
  } finally {
    await server.stop();
    e.cleanup();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await measureApi(Number(process.argv[2] ?? 100_000), Number(process.argv[3] ?? 2000)), null, 2));
}

export { spawnBaton, until };
