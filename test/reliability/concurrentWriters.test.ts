import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestServer, type BackgroundProcess } from '../helpers/processes.js';
import { tempDir } from '../helpers/tempDir.js';
import { scale } from './scale.js';

/** 200 clients write logs and state changes at once: no "database is locked", no 5xx, nothing lost. */
let home: ReturnType<typeof tempDir>;
let server: BackgroundProcess;
let apiUrl = '';

beforeAll(async () => {
  home = tempDir();
  const started = await startTestServer(home.path);
  server = started.server;
  apiUrl = started.apiUrl;
});
afterAll(async () => {
  await server?.stop();
  home.remove();
});

async function post(path: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${apiUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
}

test('200 concurrent writers of logs and state changes', async () => {
  const WRITERS = 200;
  const LINES = scale(200, 50);
  await post('/work_pools/', { name: 'pool' });
  const flow = (await post('/flows/', { name: 'writers' })).body;
  const deployment = (await post('/deployments/', { name: 'd', flow_id: flow.id, work_pool_name: 'pool' })).body;
  const runs: string[] = [];
  for (let i = 0; i < WRITERS; i++) runs.push((await post(`/deployments/${deployment.id}/create_flow_run`, {})).body.id);

  const problems: string[] = [];
  const check = (what: string, r: { status: number; body: any }) => {
    if (r.status >= 500 || JSON.stringify(r.body ?? '').includes('locked')) problems.push(`${what}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
  };
  await Promise.all(
    runs.map(async (id, w) => {
      for (const type of ['PENDING', 'RUNNING']) check(`${w} ${type}`, await post(`/flow_runs/${id}/set_state`, { state: { type } }));
      for (let batch = 0; batch < LINES / 10; batch++) {
        const lines = Array.from({ length: 10 }, (_, i) => ({
          name: 'writer',
          level: 20,
          message: `writer ${w} line ${batch * 10 + i}`,
          timestamp: new Date().toISOString(),
          flow_run_id: id,
        }));
        check(`${w} logs`, await post('/logs/', lines));
      }
      check(`${w} COMPLETED`, await post(`/flow_runs/${id}/set_state`, { state: { type: 'COMPLETED' } }));
    }),
  );
  expect(problems).toEqual([]);
  const completed = (await post('/flow_runs/count', { flow_runs: { state: { type: { any_: ['COMPLETED'] } } } })).body;
  expect(completed).toBe(WRITERS);
  // Every acknowledged line is stored, in order per writer.
  for (const id of [runs[0], runs[99], runs[199]]) {
    const lines = (await post('/logs/filter', { logs: { flow_run_id: { any_: [id] } } })).body as { message: string }[];
    const stored = [...lines];
    let offset = 200;
    while (stored.length < LINES && lines.length === 200) {
      const more = (await post('/logs/filter', { logs: { flow_run_id: { any_: [id] } }, offset })).body;
      stored.push(...more);
      offset += 200;
      if (more.length === 0) break;
    }
    expect(stored.map((l) => Number(/line (\d+)/.exec(l.message)?.[1]))).toEqual(Array.from({ length: LINES }, (_, i) => i));
  }
  console.log(`concurrent writers: ${WRITERS} writers, ${WRITERS * (LINES + 3)} writes, 0 errors ≥ 500, 0 "database is locked"`);
}, 120_000);
