import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BackgroundProcess } from './processes.js';
import { startBaton, waitFor } from './processes.js';

/** The repository root: deployments of fixture flows use it as their path. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

const api = (apiUrl: string) => ({
  async post(path: string, body: unknown = {}) {
    const res = await fetch(`${apiUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${path}: ${res.status} ${text}`);
    return text === '' ? undefined : JSON.parse(text);
  },
  async get(path: string) {
    const res = await fetch(`${apiUrl}${path}`);
    const text = await res.text();
    if (!res.ok) throw new Error(`${path}: ${res.status} ${text}`);
    return JSON.parse(text);
  },
});

export type Api = ReturnType<typeof api>;
export const apiClient = api;

/** Deploys a fixture flow (`test/fixtures/flows/<file>:<export>`) to a pool, through the API. */
export async function deployFixture(a: Api, pool: string, file: string, exportName: string, extra: Record<string, unknown> = {}) {
  const flow = await a.post('/flows/', { name: exportName });
  return a.post('/deployments/', {
    name: 'test',
    flow_id: flow.id,
    entrypoint: `test/fixtures/flows/${file}:${exportName}`,
    path: REPO_ROOT,
    work_pool_name: pool,
    ...extra,
  });
}

/** Waits until the run reaches a terminal state and returns it. */
export async function waitForEnd(a: Api, runId: string, timeoutMs = 30_000) {
  let run: { state_type: string; state_name: string; state: { message: string | null } } | undefined;
  await waitFor(async () => {
    run = await a.get(`/flow_runs/${runId}`);
    return ['COMPLETED', 'FAILED', 'CRASHED', 'CANCELLED'].includes(run?.state_type ?? '');
  }, timeoutMs, `run ${runId} to end`);
  return run as NonNullable<typeof run>;
}

export async function runLogs(a: Api, runId: string): Promise<{ level: number; message: string; name: string }[]> {
  return a.post('/logs/filter', { logs: { flow_run_id: { any_: [runId] } } });
}

export function startWorker(env: Record<string, string>, args: string[]): BackgroundProcess {
  return startBaton(['worker', 'start', ...args], env);
}

/**
 * True while the process runs. A zombie (exited, not yet reaped by its parent: orphans here are
 * reparented to a PID 1 that may reap late) counts as gone.
 */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
