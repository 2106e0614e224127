import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { systemClock } from '../src/domain/time.js';
import { SqliteStore } from '../src/store/sqlite/index.js';
import { seedRuns } from './lib/seed.js';

/**
 * How long deleting a flow with a long history holds the server's one connection: seeds N runs
 * (10 flows, 5 deployments each), deletes one flow (N/10 runs) and then one deployment of another
 * flow, and prints the total time and the longest event-loop stall of each. Not part of
 * `npm run bench` (its JSON keys are fixed); run it alone:
 *   node --import tsx bench/deleteStall.ts [runs, default 100000]
 */
const count = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'baton-delete-'));
const path = join(dir, 'baton.db');
try {
  seedRuns(path, count);
  // Opened as the server opens it: WAL checkpoints on their own thread.
  const store = SqliteStore.open(path, systemClock, { backgroundCheckpoints: { onError: (message) => console.error(message) } });
  const timed = async (what: string, work: () => Promise<void>): Promise<void> => {
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    // The sampler measures between two of its ticks: let it tick once before the work starts.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = performance.now();
    await work();
    const total = performance.now() - started;
    // The sampling timer reports a stall when it next fires: give it that chance.
    await new Promise((resolve) => setTimeout(resolve, 20));
    delay.disable();
    console.log(`${what}: ${total.toFixed(0)} ms in all, longest event-loop stall ${(delay.max / 1e6).toFixed(0)} ms`);
  };
  const flows = store.db.prepare('SELECT f.id, count(r.id) AS runs FROM flow f JOIN flow_run r ON r.flow_id = f.id GROUP BY f.id ORDER BY f.id').all() as { id: string; runs: number }[];
  const [first, second] = flows;
  if (!first || !second) throw new Error('the seed made fewer than two flows');
  await timed(`delete a flow with ${first.runs.toLocaleString('en-US')} runs`, () => store.flows.delete(first.id));
  const deployment = store.db
    .prepare('SELECT d.id, count(r.id) AS runs FROM deployment d JOIN flow_run r ON r.deployment_id = d.id WHERE d.flow_id = ? GROUP BY d.id LIMIT 1')
    .get(second.id) as { id: string; runs: number };
  await timed(`delete a deployment with ${deployment.runs.toLocaleString('en-US')} runs`, () => store.deployments.delete(deployment.id));
  await store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
