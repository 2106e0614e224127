import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { waitFor } from '../helpers/processes.js';
import { useSystem } from '../helpers/system.js';
import { deployFixture } from '../helpers/workerEnv.js';
import { scale } from './scale.js';

/** 4 workers on one pool, many runs: every run executes exactly once and none is lost. */
const sys = useSystem();

test('every run executes exactly once', async () => {
  const RUNS = scale(2000, 60);
  const a = sys.api;
  const file = join(sys.home, 'executions.txt');
  writeFileSync(file, '');
  await a.post('/work_pools/', { name: 'once', type: 'process' });
  const deployment = await deployFixture(a, 'once', 'appendsId.ts', 'appendsId', { parameters: { file } });
  for (let i = 0; i < 4; i++) sys.worker(['--pool', 'once', '--limit', '4', '--name', `w${i}`]);
  const created = new Set<string>();
  const started = Date.now();
  for (let i = 0; i < RUNS; i++) created.add((await a.post(`/deployments/${deployment.id}/create_flow_run`, {})).id);
  await waitFor(
    async () => (await a.post('/flow_runs/count', { flow_runs: { state: { type: { any_: ['COMPLETED', 'FAILED', 'CRASHED', 'CANCELLED'] } } } })) === RUNS,
    scale(900_000, 240_000),
    `all ${RUNS} runs to end`,
  );
  const seconds = (Date.now() - started) / 1000;
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const counts = new Map<string, number>();
  for (const id of lines) counts.set(id, (counts.get(id) ?? 0) + 1);
  const duplicates = [...counts].filter(([, n]) => n > 1);
  const lost = [...created].filter((id) => !counts.has(id));
  const strangers = [...counts.keys()].filter((id) => !created.has(id));
  const completed = await a.post('/flow_runs/count', { flow_runs: { state: { type: { any_: ['COMPLETED'] } } } });
  const perWorker = new Map<string, number>();
  for (const w of await a.post('/work_pools/once/workers/filter', {})) perWorker.set(w.name, 0);
  console.log(
    `exactly once: ${RUNS} runs, 4 workers (--limit 4), ${duplicates.length} duplicates, ${lost.length} lost, ${completed} completed, ${seconds.toFixed(1)} s (${(RUNS / seconds).toFixed(1)} runs/s)`,
  );
  expect(duplicates).toEqual([]);
  expect(lost).toEqual([]);
  expect(strangers).toEqual([]);
  expect(completed).toBe(RUNS);
}, 1_000_000);
