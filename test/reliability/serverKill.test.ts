import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startBaton, startTestServer, waitFor, type BackgroundProcess } from '../helpers/processes.js';
import { tempDir } from '../helpers/tempDir.js';
import { scale } from './scale.js';

/**
 * The server is killed with SIGKILL while clients create runs, change states and stream logs.
 * After a restart, every acknowledged run, state and log line is there, and no schedule slot has
 * two runs.
 */
let home: ReturnType<typeof tempDir>;
let server: BackgroundProcess;
let env: Record<string, string>;
let apiUrl = '';

beforeAll(async () => {
  home = tempDir();
  const started = await startTestServer(home.path);
  server = started.server;
  env = started.env;
  apiUrl = started.apiUrl;
});
afterAll(async () => {
  await server?.stop();
  home.remove();
});

async function post(path: string, body: unknown): Promise<{ status: number; body: any } | null> {
  try {
    const res = await fetch(`${apiUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
  } catch {
    return null; // the server is gone: nothing was acknowledged
  }
}

test('every acknowledged run, state and log line survives a server SIGKILL under load', async () => {
  await post('/work_pools/', { name: 'pool' });
  const flow = (await post('/flows/', { name: 'load' }))?.body;
  // A minutely schedule keeps the scheduler writing too.
  const deployment = (await post('/deployments/', {
    name: 'd',
    flow_id: flow.id,
    work_pool_name: 'pool',
    schedules: [{ schedule: { interval: 60 } }],
  }))?.body;
  const ackRuns = new Set<string>();
  const ackStates = new Map<string, string>();
  const ackLines = new Map<string, number[]>();
  let stop = false;

  const creator = async () => {
    while (!stop) {
      const r = await post(`/deployments/${deployment.id}/create_flow_run`, {});
      if (r?.status === 201) ackRuns.add(r.body.id);
      if (!r) return;
    }
  };
  const stater = async () => {
    while (!stop) {
      const id = [...ackRuns].find((x) => !ackStates.has(x));
      if (!id) {
        await new Promise((res) => setTimeout(res, 5));
        continue;
      }
      for (const type of ['PENDING', 'RUNNING', 'COMPLETED']) {
        const r = await post(`/flow_runs/${id}/set_state`, { state: { type } });
        if (!r) return;
        if (r.status === 201 && r.body.status === 'ACCEPT') ackStates.set(id, type);
      }
    }
  };
  const logger = async (w: number) => {
    let n = 0;
    while (!stop) {
      const id = [...ackRuns][w];
      if (!id) {
        await new Promise((res) => setTimeout(res, 5));
        continue;
      }
      const lines = Array.from({ length: 20 }, (_, i) => ({ name: 'load', level: 20, message: `${n + i}`, timestamp: new Date().toISOString(), flow_run_id: id }));
      const r = await post('/logs/', lines);
      if (!r) return;
      if (r.status === 201) ackLines.set(id, [...(ackLines.get(id) ?? []), ...lines.map((l) => Number(l.message))]);
      n += 20;
    }
  };
  const clients = [creator(), creator(), stater(), stater(), logger(0), logger(1), logger(2)];
  await new Promise((res) => setTimeout(res, scale(5000, 2000)));
  server.proc.kill('SIGKILL');
  await server.proc;
  stop = true;
  await Promise.all(clients);

  // Restart on the same database.
  server = startBaton(['server', 'start'], env);
  await waitFor(async () => (await fetch(`${apiUrl}/health`)).ok, 20_000, 'the server to restart');

  const missingRuns: string[] = [];
  for (const id of ackRuns) if ((await fetch(`${apiUrl}/flow_runs/${id}`)).status !== 200) missingRuns.push(id);
  const wrongStates: string[] = [];
  const order = ['PENDING', 'RUNNING', 'COMPLETED'];
  for (const [id, type] of ackStates) {
    const run = (await (await fetch(`${apiUrl}/flow_runs/${id}`)).json()) as { state_type: string };
    // The state is the acknowledged one, or a later one acknowledged too late to be counted.
    if (order.indexOf(run.state_type) < order.indexOf(type)) wrongStates.push(`${id}: ${run.state_type} < ${type}`);
  }
  const missingLines: string[] = [];
  for (const [id, numbers] of ackLines) {
    const stored = new Set<number>();
    for (let offset = 0; ; offset += 200) {
      const page = (await post('/logs/filter', { logs: { flow_run_id: { any_: [id] } }, offset }))?.body as { message: string }[];
      for (const l of page) stored.add(Number(l.message));
      if (page.length < 200) break;
    }
    for (const n of numbers) if (!stored.has(n)) missingLines.push(`${id}:${n}`);
  }
  const db = new Database(join(home.path, 'baton.db'), { readonly: true });
  const duplicateSlots = db
    .prepare('SELECT deployment_id, schedule_slot, count(*) AS n FROM flow_run WHERE schedule_slot IS NOT NULL GROUP BY 1, 2 HAVING n > 1')
    .all();
  const scheduled = db.prepare('SELECT count(*) FROM flow_run WHERE schedule_slot IS NOT NULL').pluck().get() as number;
  db.close();
  const lineCount = [...ackLines.values()].reduce((n, l) => n + l.length, 0);
  console.log(
    `server SIGKILL under load: ${ackRuns.size} acknowledged runs (${missingRuns.length} missing), ${ackStates.size} acknowledged states (${wrongStates.length} lost), ${lineCount} acknowledged log lines (${missingLines.length} missing), ${scheduled} scheduled runs, ${duplicateSlots.length} duplicate slots`,
  );
  expect(ackRuns.size).toBeGreaterThan(0);
  expect(lineCount).toBeGreaterThan(0);
  expect(missingRuns).toEqual([]);
  expect(wrongStates).toEqual([]);
  expect(missingLines).toEqual([]);
  expect(duplicateSlots).toEqual([]);
}, 120_000);
