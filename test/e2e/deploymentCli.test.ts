import { afterAll, beforeAll, expect, test } from 'vitest';
import { PARAM_SCHEMA } from '../helpers/objects.js';
import { baton, startBaton, startTestServer, waitFor, type BackgroundProcess } from '../helpers/processes.js';
import { tempDir } from '../helpers/tempDir.js';

/** `baton deployment …` with the real CLI against a real server; objects are made through the API. */
let home: ReturnType<typeof tempDir>;
let env: Record<string, string>;
let apiUrl: string;
let server: BackgroundProcess;
let etl: { id: string };

async function api<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${apiUrl}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function deploy(flowName: string, name: string, extra: Record<string, unknown> = {}) {
  const flow = (await api('POST', '/flows/', { name: flowName })).body;
  const res = await api('POST', '/deployments/', {
    name,
    flow_id: flow.id,
    entrypoint: 'flows/etl.ts:etl',
    work_pool_name: 'pool',
    parameter_openapi_schema: PARAM_SCHEMA,
    parameters: { name: 'world' },
    ...extra,
  });
  expect(res.status).toBe(201);
  return res.body;
}

async function runCount(): Promise<number> {
  return (await api<number>('POST', '/flow_runs/count', {})).body;
}

async function runs(): Promise<any[]> {
  return (await api<any[]>('POST', '/flow_runs/filter', { sort: 'ID_DESC' })).body;
}

async function setState(runId: string, type: string, extra: Record<string, unknown> = {}) {
  const res = await api('POST', `/flow_runs/${runId}/set_state`, { state: { type, ...extra } });
  expect(res.body.status, JSON.stringify(res.body)).toBe('ACCEPT');
}

async function log(runId: string, message: string, level = 20) {
  const res = await api('POST', '/logs/', [{ name: 'test', level, message, timestamp: new Date().toISOString(), flow_run_id: runId }]);
  expect(res.status).toBe(201);
}

const oneLine = (text: string) => text.trim().split('\n');

beforeAll(async () => {
  home = tempDir();
  const started = await startTestServer(home.path);
  env = started.env;
  apiUrl = started.apiUrl;
  server = started.server;
  expect((await api('POST', '/work_pools/', { name: 'pool', type: 'process' })).status).toBe(201);
  etl = await deploy('etl', 'nightly');
  await deploy('report', 'weekly');
  await deploy('etl', 'adhoc');
});
afterAll(async () => {
  await server?.stop();
  home?.remove();
});

test('ls lists flow/deployment by name, or newest first, filtered by flow; -o json', async () => {
  const ls = await baton(['deployment', 'ls'], env);
  expect(ls.exitCode, ls.stderr).toBe(0);
  expect(ls.stdout).toContain('Deployments');
  expect(ls.stdout).toMatch(/│ Name\s+│ ID\s+│ Work Pool │/);
  const names = (out: string) => [...out.matchAll(/│ (\S+\/\S+)/g)].map((m) => m[1]);
  expect(names(ls.stdout)).toEqual(['etl/adhoc', 'etl/nightly', 'report/weekly']);
  expect(ls.stdout).toMatch(new RegExp(`etl/nightly\\s+│ ${etl.id} │ pool`));

  const byCreated = await baton(['deployments', 'ls', '--by-created'], env);
  expect(names(byCreated.stdout)).toEqual(['etl/adhoc', 'report/weekly', 'etl/nightly']);

  const ofReport = await baton(['deployment', 'ls', 'report', '-o', 'json'], env);
  expect((JSON.parse(ofReport.stdout) as { name: string; flow_name: string }[]).map((d) => `${d.flow_name}/${d.name}`)).toEqual(['report/weekly']);

  const badFormat = await baton(['deployment', 'ls', '-o', 'yaml'], env);
  expect(badFormat.exitCode).toBe(1);
  expect(badFormat.stderr).toContain("Only 'json' output format is supported.");
});

test('inspect shows the deployment as the API returns it; names must be flow/deployment', async () => {
  const inspect = await baton(['deployment', 'inspect', 'etl/nightly', '-o', 'json'], env);
  expect(inspect.exitCode, inspect.stderr).toBe(0);
  expect(JSON.parse(inspect.stdout)).toEqual((await api('GET', `/deployments/${etl.id}`)).body);

  const noSlash = await baton(['deployment', 'inspect', 'nightly'], env);
  expect(noSlash.exitCode).toBe(1);
  expect(oneLine(noSlash.stderr)).toEqual(["Error: Invalid deployment name. Expected '<flow-name>/<deployment-name>'"]);

  const missing = await baton(['deployment', 'inspect', 'etl/nope'], env);
  expect(missing.exitCode).toBe(1);
  expect(missing.stderr).toContain("Deployment 'etl/nope' not found.");
});

test('run: --param is JSON or text and wins over --params; --start-in; --flow-run-name formats parameters', async () => {
  const before = Date.now();
  const run = await baton(
    ['deployment', 'run', 'etl/nightly', '--params', '{"name": "from-params", "count": 1}', '-p', 'count=2', '--param', 'day=monday', '--start-in', '5 minutes', '--flow-run-name', 'etl-{day}-{count}', '-t', 'cli'],
    env,
  );
  expect(run.exitCode, run.stderr).toBe(0);
  const lines = run.stdout.split('\n');
  expect(lines[0]).toBe("Created flow run 'etl-monday-2'.");
  const id = /└── UUID: ([0-9a-f-]{36})/.exec(run.stdout)?.[1] as string;
  expect(lines).toContain('└── Parameters: {"name":"from-params","count":2,"day":"monday"}');
  expect(lines).toContain('└── Job Variables: {}');
  expect(run.stdout).toMatch(/└── Scheduled start time: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(in 5 minutes\)/);
  expect(lines).toContain(`└── URL: ${apiUrl.replace(/\/api$/, '')}/runs/${id}`);

  const created = (await api('GET', `/flow_runs/${id}`)).body;
  expect(created).toMatchObject({ name: 'etl-monday-2', parameters: { name: 'from-params', count: 2, day: 'monday' }, state_type: 'SCHEDULED' });
  expect(created.tags).toContain('cli');
  const due = Date.parse(created.next_scheduled_start_time);
  expect(due).toBeGreaterThanOrEqual(before + 5 * 60_000);
  expect(due).toBeLessThan(Date.now() + 5 * 60_000);

  // Text stays text, `"5"` stays a string, and the deployment's own defaults fill the rest.
  const text = await baton(['deployment', 'run', 'etl/nightly', '-p', 'day="5"', '--start-at', '2030-01-02T03:04:05Z', '--idempotency-key', 'k1'], env);
  expect(text.exitCode, text.stderr).toBe(0);
  const textId = /UUID: (\S+)/.exec(text.stdout)?.[1] as string;
  expect((await api('GET', `/flow_runs/${textId}`)).body).toMatchObject({
    parameters: { name: 'world', day: '5' },
    next_scheduled_start_time: '2030-01-02T03:04:05.000Z',
    idempotency_key: 'k1',
  });
  expect(text.stdout).toMatch(/Scheduled start time: 20(29|30)-\S+ \S+ \(in \d+ years?\)/);
});

test('run: --params - reads stdin; --id addresses the deployment by UUID', async () => {
  const run = await baton(['deployment', 'run', '--id', etl.id, '--params', '-'], env, { input: '{"name": "stdin", "count": 7}' });
  expect(run.exitCode, run.stderr).toBe(0);
  expect(run.stdout).toContain('└── Parameters: {"name":"stdin","count":7}');
  expect(run.stdout).toMatch(/Scheduled start time: .* \(now\)/);
});

test('run: unknown parameters and bad times are refused before anything is created', async () => {
  const before = await runCount();
  const unknown = await baton(['deployment', 'run', 'etl/nightly', '-p', 'nmae=x', '-p', 'count=1'], env);
  expect(unknown.exitCode).toBe(1);
  expect(oneLine(unknown.stderr)).toEqual(["Error: Unknown parameter 'nmae' for deployment 'etl/nightly'; valid parameters: count, day, name."]);

  const both = await baton(['deployment', 'run', 'etl/nightly', '--start-in', '5m', '--start-at', '2030-01-01 10:00'], env);
  expect(both.stderr).toContain('Pass either --start-in or --start-at, not both.');
  const badIn = await baton(['deployment', 'run', 'etl/nightly', '--start-in', 'soonish'], env);
  expect(badIn.exitCode).toBe(1);
  expect(badIn.stderr).toContain("'soonish' is not a duration");
  const badJson = await baton(['deployment', 'run', 'etl/nightly', '--params', '{oops'], env);
  expect(badJson.stderr).toContain('--params is not valid JSON');
  const badName = await baton(['deployment', 'run', 'etl/nightly', '--flow-run-name', 'x-{nope}'], env);
  expect(badName.stderr).toContain('--flow-run-name refers to {nope}');
  expect(await runCount()).toBe(before);
});

test("run: the server's 422 for bad values is one line naming each parameter", async () => {
  const before = await runCount();
  const bad = await baton(['deployment', 'run', 'etl/nightly', '-p', 'count=-1', '-p', 'name=5'], env);
  expect(bad.exitCode).toBe(1);
  expect(oneLine(bad.stderr)).toHaveLength(1);
  expect(bad.stderr).toContain("Cannot run 'etl/nightly':");
  expect(bad.stderr).toContain("parameter 'count' must be >= 0");
  expect(bad.stderr).toContain("parameter 'name' must be string");
  expect(await runCount()).toBe(before);
});

test('pause and resume (marked in ls), delete', async () => {
  const paused = await baton(['deployment', 'pause', 'report/weekly'], env);
  expect(paused.exitCode, paused.stderr).toBe(0);
  expect(paused.stdout).toContain("Paused deployment 'report/weekly'.");
  const weekly = (await api('GET', '/deployments/name/report/weekly')).body;
  expect(weekly.paused).toBe(true);
  const ls = await baton(['deployment', 'ls'], env);
  expect(ls.stdout).toMatch(/report\/weekly \(\*\*\)/);
  expect(ls.stdout).toContain('(**) denotes a paused deployment');

  expect((await baton(['deployment', 'resume', 'report/weekly'], env)).stdout).toContain("Resumed deployment 'report/weekly'.");
  expect((await api('GET', `/deployments/${weekly.id}`)).body.paused).toBe(false);

  const deleted = await baton(['deployment', 'delete', 'report/weekly', '-y'], env);
  expect(deleted.exitCode, deleted.stderr).toBe(0);
  expect(deleted.stdout).toContain("Deleted deployment 'report/weekly'.");
  expect((await api('GET', `/deployments/${weekly.id}`)).status).toBe(404);
  const again = await baton(['deployment', 'delete', 'report/weekly'], env);
  expect(again.exitCode).toBe(1);
  expect(again.stderr).toContain("Deployment 'report/weekly' not found.");
});

/** Starts `deployment run --watch` and returns the process with the id of the run it created. */
async function startWatch(args: string[] = []) {
  const known = new Set((await runs()).map((r) => r.id));
  const watch = startBaton(['deployment', 'run', 'etl/nightly', '--watch', ...args], env);
  let id = '';
  await waitFor(async () => {
    id = (await runs()).find((r) => !known.has(r.id))?.id ?? '';
    return id !== '' && watch.output().includes('| state Scheduled');
  }, 15_000, 'the watched run');
  return { watch, id };
}

test('run --watch prints states and log lines as they happen and exits 0 when the run completes', async () => {
  const { watch, id } = await startWatch();
  await setState(id, 'PENDING');
  await setState(id, 'RUNNING');
  await waitFor(() => watch.output().includes('| state Running'), 10_000, 'the Running state');
  await log(id, 'hello from the run');
  await waitFor(() => watch.output().includes('hello from the run'), 10_000, 'the log line');
  await setState(id, 'COMPLETED');
  await watch.proc;
  expect(watch.proc.exitCode, watch.output()).toBe(0);
  const out = watch.output();
  expect(out).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \| INFO {4}\| hello from the run$/m);
  expect(out).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \| state Pending$/m);
  const order = ['| state Scheduled', '| state Pending', '| state Running', 'hello from the run', '| state Completed', "finished in state Completed."];
  const positions = order.map((s) => out.indexOf(s));
  expect(positions.every((p) => p >= 0)).toBe(true);
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
});

test('run --watch exits 1 when the run fails, and on --watch-timeout', async () => {
  const { watch, id } = await startWatch();
  await setState(id, 'PENDING');
  await setState(id, 'RUNNING');
  await log(id, 'about to fail', 40);
  await setState(id, 'FAILED', { message: 'boom' });
  await watch.proc;
  expect(watch.proc.exitCode).toBe(1);
  expect(watch.output()).toMatch(/\| ERROR {3}\| about to fail/);
  expect(watch.output()).toContain("finished in state Failed: boom.");

  const timedOut = await baton(['deployment', 'run', 'etl/nightly', '--watch', '--watch-timeout', '1'], env);
  expect(timedOut.exitCode).toBe(1);
  expect(oneLine(timedOut.stderr)).toHaveLength(1);
  expect(timedOut.stderr).toMatch(/did not finish within 1 s; it is (Scheduled|Late)\. It carries on: follow it with `baton flow-run watch [0-9a-f-]{36}`/);
});

test('delete --all: refused off a terminal without --yes, then deletes every deployment; nothing left is said plainly', async () => {
  const before = (await api<any[]>('POST', '/deployments/filter', {})).body;
  expect(before.length).toBeGreaterThanOrEqual(2);
  const count = `${before.length} deployments`;

  const refused = await baton(['deployment', 'delete', '--all'], env);
  expect(refused.exitCode).toBe(1);
  expect(refused.stderr.trim()).toBe(`Error: Refusing to delete all ${count} without confirmation: pass --yes.`);
  expect((await api<any[]>('POST', '/deployments/filter', {})).body).toHaveLength(before.length);

  const both = await baton(['deployment', 'delete', 'etl/nightly', '--all', '-y'], env);
  expect(both.exitCode).toBe(1);
  expect(both.stderr.trim()).toBe('Error: Pass a deployment name, --id or --all, not several.');

  const deleted = await baton(['deployment', 'delete', '--all', '-y'], env);
  expect(deleted.exitCode, deleted.stderr).toBe(0);
  expect(deleted.stdout.trim()).toBe(`Deleted ${count}.`);
  expect((await api<any[]>('POST', '/deployments/filter', {})).body).toEqual([]);

  const none = await baton(['deployment', 'delete', '--all'], env);
  expect(none.exitCode, none.stderr).toBe(0);
  expect(none.stdout.trim()).toBe('There are no deployments to delete.');
});
