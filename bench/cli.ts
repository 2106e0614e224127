import { execa } from 'execa';
import { api, BATON_BIN, benchEnv, startServer } from './lib/harness.js';
import { median } from './lib/stats.js';

/** Wall time of `baton work-pool ls` from spawn to exit, against a running server. */
export async function measureCliColdStart(repeats: number): Promise<{ p50: number }> {
  const e = await benchEnv();
  const server = await startServer(e);
  try {
    await api(e.apiUrl).post('/work_pools/', { name: 'bench', type: 'process' });
    const times: number[] = [];
    for (let i = 0; i < repeats + 2; i++) {
      const t0 = performance.now();
      const result = await execa(process.execPath, [BATON_BIN, 'work-pool', 'ls'], { env: e.env, stdin: 'ignore' });
      const ms = performance.now() - t0;
      if (!result.stdout.includes('bench')) throw new Error(`unexpected output: ${result.stdout}`);
      if (i >= 2) times.push(ms); // the first runs warm the OS file cache
    }
    return { p50: median(times) };
  } finally {
    await server.stop();
    e.cleanup();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await measureCliColdStart(Number(process.argv[2] ?? 10))));
}
