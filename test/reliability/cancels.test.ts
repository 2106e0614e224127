import { expect, test } from 'vitest';
import { waitFor } from '../helpers/processes.js';
import { useSystem } from '../helpers/system.js';
import { alive, deployFixture, runLogs, waitForEnd } from '../helpers/workerEnv.js';
import { scale } from './scale.js';

/** Cancelling many flows that spawned grandchildren: every run ends CANCELLED and no process of any tree survives. */
const sys = useSystem({ BATON_WORKER_CANCEL_GRACE_SECONDS: '2' });

test('cancels of flows that spawned grandchildren leave no process behind', async () => {
  const RUNS = scale(50, 10);
  const BATCH = 10;
  const a = sys.api;
  await a.post('/work_pools/', { name: 'cancels', type: 'process' });
  const deployment = await deployFixture(a, 'cancels', 'spawnsChildren.ts', 'spawnsChildren');
  sys.worker(['--pool', 'cancels', '--limit', String(BATCH)]);
  const pids: number[] = [];
  let cancelled = 0;
  for (let done = 0; done < RUNS; done += BATCH) {
    const runs: string[] = [];
    for (let i = 0; i < Math.min(BATCH, RUNS - done); i++) runs.push((await a.post(`/deployments/${deployment.id}/create_flow_run`, {})).id);
    const children = new Map<string, number[]>();
    await waitFor(async () => {
      for (const id of runs) {
        if ((children.get(id)?.length ?? 0) === 2) continue;
        const found = (await runLogs(a, id)).flatMap((l) => /spawned child pid (\d+)/.exec(l.message)?.[1] ?? []).map(Number);
        children.set(id, found);
      }
      return runs.every((id) => children.get(id)?.length === 2);
    }, 120_000, 'the flows to spawn their children');
    for (const id of runs) {
      pids.push(Number((await a.get(`/flow_runs/${id}`)).infrastructure_pid), ...(children.get(id) ?? []));
      await a.post(`/flow_runs/${id}/set_state`, { state: { type: 'CANCELLING' } });
    }
    for (const id of runs) {
      expect((await waitForEnd(a, id, 60_000)).state_type).toBe('CANCELLED');
      cancelled++;
    }
  }
  await waitFor(() => pids.every((p) => !alive(p)), 10_000, 'every process to be gone');
  const survivors = pids.filter(alive);
  console.log(`cancels: ${cancelled} runs cancelled, ${pids.length} processes (flows and grandchildren) tracked, ${survivors.length} survived`);
  expect(cancelled).toBe(RUNS);
  expect(survivors).toEqual([]);
}, 600_000);
