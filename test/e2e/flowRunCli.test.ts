import { afterAll, beforeAll, expect, test } from 'vitest';
import { PARAM_SCHEMA } from '../helpers/objects.js';
import { baton, startBaton, startTestServer, waitFor, type BackgroundProcess } from '../helpers/processes.js';
import { tempDir } from '../helpers/tempDir.js';

/** `baton flow-run …` with the real CLI against a real server; runs are driven through the API. */
let home: ReturnType<typeof tempDir>;
let env: Record<string, string>;
let apiUrl: string;
let server: BackgroundProcess;
let etl: { id: string };
let report: { id: string };

async function api<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${apiUrl}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function deploy(flowName: string, name: string) {
  const flow = (await api('POST', '/flows/', { name: flowName })).body;
  const res = await api('POST', '/deployments/', {
    name,
    flow_id: flow.id,
    entrypoint: 'flows/etl.ts:etl',
    work_pool_name: 'pool',
    parameter_openapi_schema: PARAM_SCHEMA,
    parameters: { name: 'world' },
  });
  expect(res.status).toBe(201);
  return res.body;
}

/** A run of a deployment, due `inMs` from now, with the given name. */
async function createRun(deployment: { id: string }, name: string, inMs = 0) {
  const res = await api('POST', `/deployments/${deployment.id}/create_flow_run`, {
    name,
    state: { type: 'SCHEDULED', state_details: { scheduled_time: new Date(Date.now() + inMs).toISOString() } },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; name: string };
}

async function setState(runId: string, type: string, extra: Record<string, unknown> = {}) {
  const res = await api('POST', `/flow_runs/${runId}/set_state`, { state: { type, ...extra } });
  expect(res.body.status, JSON.stringify(res.body)).toBe('ACCEPT');
}

/** Moves a new run through PENDING and RUNNING, optionally on to a final state. */
async function drive(runId: string, ...finalStates: string[]) {
  for (const type of ['PENDING', 'RUNNING', ...finalStates]) await setState(runId, type);
}

async function postLogs(runId: string, lines: { message: string; level?: number; at: number }[]) {
  const res = await api(
    'POST',
    '/logs/',
    lines.map((l) => ({ name: 'test', level: l.level ?? 20, message: l.message, timestamp: new Date(l.at).toISOString(), flow_run_id: runId })),
  );
  expect(res.status).toBe(201);
}

const ids = (out: string) => [...out.matchAll(/│ ([0-9a-f]{8}-[0-9a-f-]{27}) │/g)].map((m) => m[1]);
const LINE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \| (\S+)\s* \| (.*)$/;

beforeAll(async () => {
  home = tempDir();
  const started = await startTestServer(home.path);
  env = started.env;
  apiUrl = started.apiUrl;
  server = started.server;
  expect((await api('POST', '/work_pools/', { name: 'pool', type: 'process' })).status).toBe(201);
  etl = await deploy('etl', 'nightly');
  report = await deploy('report', 'weekly');
});
afterAll(async () => {
  await server?.stop();
  home?.remove();
});

test('ls shows ID, Flow, Name, State and When, filtered by flow, state name and state type', async () => {
  const later = await createRun(etl, 'later-run', 60 * 60_000);
  const done = await createRun(etl, 'done-run');
  await drive(done.id, 'COMPLETED');
  const late = await createRun(report, 'late-run', -60_000);
  // The server's late-runs service may get there first; either way the run ends up Late.
  await api('POST', `/flow_runs/${late.id}/set_state`, { state: { type: 'SCHEDULED', name: 'Late' } });
  expect((await api('GET', `/flow_runs/${late.id}`)).body.state_name).toBe('Late');

  const ls = await baton(['flow-run', 'ls'], env);
  expect(ls.exitCode, ls.stderr).toBe(0);
  expect(ls.stdout).toContain('Flow Runs');
  expect(ls.stdout).toMatch(/│ ID\s+│ Flow\s+│ Name\s+│ State\s+│ When\s+│/);
  expect(ls.stdout).toMatch(new RegExp(`${later.id} │ etl\\s+│ later-run\\s+│ SCHEDULED\\s+│ in 1 hour`));
  expect(ls.stdout).toMatch(new RegExp(`${done.id} │ etl\\s+│ done-run\\s+│ COMPLETED\\s+│ \\d+ seconds? ago|${done.id} │ etl\\s+│ done-run\\s+│ COMPLETED\\s+│ now`));
  // Latest expected start first.
  expect(ids(ls.stdout)).toEqual([later.id, done.id, late.id]);

  expect(ids((await baton(['flow-run', 'ls', '--flow-name', 'report'], env)).stdout)).toEqual([late.id]);
  expect(ids((await baton(['flow-run', 'ls', '--state', 'late'], env)).stdout)).toEqual([late.id]);
  expect(ids((await baton(['flow-runs', 'ls', '--state-type', 'completed', '--state-type', 'scheduled', '--flow-name', 'etl'], env)).stdout)).toEqual([later.id, done.id]);
  expect(ids((await baton(['flow-run', 'ls', '--limit', '1'], env)).stdout)).toEqual([later.id]);

  const json = JSON.parse((await baton(['flow-run', 'ls', '--state-type', 'COMPLETED', '-o', 'json'], env)).stdout) as { id: string; state_type: string }[];
  expect(json.map((r) => [r.id, r.state_type])).toEqual([[done.id, 'COMPLETED']]);

  const badType = await baton(['flow-run', 'ls', '--state-type', 'done'], env);
  expect(badType.exitCode).toBe(1);
  expect(badType.stderr).toContain("Unknown state type 'done': use one of SCHEDULED, PENDING, RUNNING");
});

test('inspect prints the run as the API returns it; a bad or unknown ID is one line', async () => {
  const run = await createRun(etl, 'inspected');
  const inspect = await baton(['flow-run', 'inspect', run.id, '-o', 'json'], env);
  expect(inspect.exitCode, inspect.stderr).toBe(0);
  // Everything but the estimates, which the server recomputes on every read.
  const stable = ({ estimated_start_time_delta: _d, estimated_run_time: _r, ...rest }: Record<string, unknown>) => rest;
  expect(stable(JSON.parse(inspect.stdout))).toEqual(stable((await api('GET', `/flow_runs/${run.id}`)).body));

  const bad = await baton(['flow-run', 'inspect', 'not-an-id'], env);
  expect(bad.exitCode).toBe(1);
  expect(bad.stderr.trim().split('\n')).toEqual(["Error: 'not-an-id' is not a flow run ID (a UUID such as 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b)."]);
  const missing = await baton(['flow-run', 'inspect', '01900000-0000-7000-8000-000000000000'], env);
  expect(missing.stderr).toContain("Flow run '01900000-0000-7000-8000-000000000000' not found.");
});

test('logs: every line in order, --head/--tail -n, --reverse, -o json, paged past 200 lines', async () => {
  const run = await createRun(etl, 'chatty');
  const t0 = Date.now() - 60_000;
  const levels = [10, 20, 30, 40, 50];
  await postLogs(run.id, levels.map((level, i) => ({ message: `line ${i + 1}`, level, at: t0 + i * 10 })));

  const all = await baton(['flow-run', 'logs', run.id], env);
  expect(all.exitCode, all.stderr).toBe(0);
  const lines = all.stdout.trim().split('\n');
  expect(lines.map((l) => LINE.exec(l)?.slice(1))).toEqual([
    ['DEBUG', 'line 1'],
    ['INFO', 'line 2'],
    ['WARNING', 'line 3'],
    ['ERROR', 'line 4'],
    ['CRITICAL', 'line 5'],
  ]);
  expect(lines[1]).toMatch(/\| INFO {4}\| line 2$/);

  const messages = async (...args: string[]) => (await baton(['flow-run', 'logs', run.id, ...args], env)).stdout.trim().split('\n').map((l) => LINE.exec(l)?.[2]);
  expect(await messages('--head', '-n', '2')).toEqual(['line 1', 'line 2']);
  expect(await messages('--tail', '-n', '2')).toEqual(['line 4', 'line 5']);
  expect(await messages('--tail', '--num-logs', '2', '--reverse')).toEqual(['line 5', 'line 4']);
  expect(await messages('--reverse')).toEqual(['line 5', 'line 4', 'line 3', 'line 2', 'line 1']);
  expect(await messages('--tail')).toHaveLength(5);

  const json = JSON.parse((await baton(['flow-run', 'logs', run.id, '-o', 'json'], env)).stdout) as { message: string; level: number }[];
  expect(json.map((l) => l.message)).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5']);

  const both = await baton(['flow-run', 'logs', run.id, '--head', '--tail'], env);
  expect(both.exitCode).toBe(1);
  expect(both.stderr).toContain('Pass either --head or --tail, not both.');

  const big = await createRun(etl, 'very-chatty');
  await postLogs(big.id, Array.from({ length: 450 }, (_, i) => ({ message: `n${i}`, at: t0 + i })));
  const pages = (await baton(['flow-run', 'logs', big.id], env)).stdout.trim().split('\n');
  expect(pages).toHaveLength(450);
  expect(pages.map((l) => LINE.exec(l)?.[2])).toEqual(Array.from({ length: 450 }, (_, i) => `n${i}`));
  const tail = (await baton(['flow-run', 'logs', big.id, '--tail', '-n', '250'], env)).stdout.trim().split('\n');
  expect(tail.map((l) => LINE.exec(l)?.[2])).toEqual(Array.from({ length: 250 }, (_, i) => `n${i + 200}`));
});

test('logs --follow prints new lines until the run ends, then exits 0', async () => {
  const run = await createRun(etl, 'followed');
  await drive(run.id);
  await postLogs(run.id, [{ message: 'before follow', at: Date.now() - 1000 }]);
  const follow = startBaton(['flow-run', 'logs', run.id, '--follow', '--tail', '-n', '5'], env);
  await waitFor(() => follow.output().includes('before follow'), 10_000, 'the existing line');
  await postLogs(run.id, [{ message: 'while following', at: Date.now() }]);
  await waitFor(() => follow.output().includes('while following'), 10_000, 'the new line');
  // Writers send in batches: a line can arrive stamped before one already shown, and is not lost.
  await postLogs(run.id, [{ message: 'late arrival', at: Date.now() - 500 }]);
  await waitFor(() => follow.output().includes('late arrival'), 10_000, 'the late line');
  await postLogs(run.id, [{ message: 'last words', level: 40, at: Date.now() }]);
  await setState(run.id, 'FAILED');
  await follow.proc;
  expect(follow.proc.exitCode, follow.output()).toBe(0);
  const messages = follow.output().trim().split('\n').map((l) => LINE.exec(l)?.[2]);
  expect(messages).toEqual(['before follow', 'while following', 'late arrival', 'last words']);
});

test('watch follows states and logs: exit 0 on COMPLETED, 1 on FAILED, 1 on --timeout', async () => {
  const ok = await createRun(etl, 'watched-ok');
  const watch = startBaton(['flow-run', 'watch', ok.id], env);
  await waitFor(() => watch.output().includes('| state Scheduled'), 10_000, 'the first state');
  await drive(ok.id);
  await postLogs(ok.id, [{ message: 'working', at: Date.now() }]);
  await waitFor(() => watch.output().includes('working'), 10_000, 'the log line');
  await setState(ok.id, 'COMPLETED');
  await watch.proc;
  expect(watch.proc.exitCode, watch.output()).toBe(0);
  expect(watch.output()).toMatch(/\| state Running\n[^\n]*\| INFO {4}\| working\n[^\n]*\| state Completed\n/);
  expect(watch.output()).toContain("Flow run 'watched-ok' finished in state Completed.");

  const bad = await createRun(etl, 'watched-bad');
  await drive(bad.id, 'FAILED');
  const failed = await baton(['flow-run', 'watch', bad.id], env);
  expect(failed.exitCode).toBe(1);
  expect(failed.stdout).toMatch(/\| state Scheduled\n.*\| state Pending\n.*\| state Running\n.*\| state Failed$/);
  expect(failed.stderr.trim()).toBe("Error: Flow run 'watched-bad' finished in state Failed.");

  const slow = await createRun(etl, 'watched-slow', 60 * 60_000);
  const timedOut = await baton(['flow-run', 'watch', slow.id, '--timeout', '0.5'], env);
  expect(timedOut.exitCode).toBe(1);
  expect(timedOut.stderr).toContain("Flow run 'watched-slow' did not finish within 0.5 s; it is Scheduled.");
});

test('watch rides out a server restart: it says so once, keeps its place, and ends with the run', async () => {
  const run = await createRun(etl, 'watched-restart');
  await drive(run.id);
  await postLogs(run.id, [{ message: 'before the restart', at: Date.now() }]);
  const watch = startBaton(['flow-run', 'watch', run.id], env);
  await waitFor(() => watch.output().includes('before the restart'), 10_000, 'the first line');

  await server.stop();
  await waitFor(() => watch.output().includes('Lost the server at'), 10_000, 'the outage notice');
  await new Promise((r) => setTimeout(r, 1_500));
  expect(watch.proc.exitCode, watch.output()).toBeNull();

  server = startBaton(['server', 'start'], env);
  await waitFor(() => fetch(`${apiUrl}/health`).then((r) => r.ok), 20_000, 'the restarted server');
  await postLogs(run.id, [{ message: 'after the restart', at: Date.now() }]);
  await setState(run.id, 'COMPLETED');
  await watch.proc;
  const out = watch.output();
  expect(watch.proc.exitCode, out).toBe(0);
  expect(out.match(/Lost the server at http:\/\/127\.0\.0\.1:\d+\/api \(ECONNREFUSED\)\. Still following flow run 'watched-restart'; retrying\./g)).toHaveLength(1);
  expect(out.match(/Reconnected to the server; still following\./g)).toHaveLength(1);
  expect(out.match(/before the restart/g)).toHaveLength(1);
  expect(out).toMatch(/\| INFO {4}\| after the restart\n[^\n]*\| state Completed\n/);
  expect(out).toContain("Flow run 'watched-restart' finished in state Completed.");
});

test('watch gives up on a server that stays away past --timeout, naming the last state it saw', async () => {
  const run = await createRun(etl, 'watched-gone');
  await drive(run.id);
  const watch = startBaton(['flow-run', 'watch', run.id, '--timeout', '3'], env);
  await waitFor(() => watch.output().includes('| state Running'), 10_000, 'the running state');
  await server.stop();
  await watch.proc;
  expect(watch.proc.exitCode).toBe(1);
  expect(watch.output()).toContain("Error: Flow run 'watched-gone' did not finish within 3 s; it is Running.");

  server = startBaton(['server', 'start'], env);
  await waitFor(() => fetch(`${apiUrl}/health`).then((r) => r.ok), 20_000, 'the restarted server');
});

test('cancel: a run not started is cancelled at once, a running one is asked to stop, a finished one cannot be', async () => {
  const waiting = await createRun(etl, 'to-cancel', 60 * 60_000);
  const cancelled = await baton(['flow-run', 'cancel', waiting.id], env);
  expect(cancelled.exitCode, cancelled.stderr).toBe(0);
  expect(cancelled.stdout.trim()).toBe(`Flow run '${waiting.id}' was cancelled.`);
  expect((await api('GET', `/flow_runs/${waiting.id}`)).body.state_type).toBe('CANCELLED');

  const again = await baton(['flow-run', 'cancel', waiting.id], env);
  expect(again.exitCode).toBe(1);
  expect(again.stderr.trim()).toBe(`Error: Flow run '${waiting.id}' was unable to be cancelled. Reason: 'Run is already in terminal state CANCELLED.'`);

  const running = await createRun(etl, 'running-to-cancel');
  await drive(running.id);
  const asked = await baton(['flow-run', 'cancel', running.id], env);
  expect(asked.stdout.trim()).toBe(`Flow run '${running.id}' was successfully scheduled for cancellation.`);
  expect((await api('GET', `/flow_runs/${running.id}`)).body.state_type).toBe('CANCELLING');
});

test('retry: a finished run is scheduled again; an unfinished one is refused', async () => {
  const failed = await createRun(etl, 'to-retry');
  await drive(failed.id, 'FAILED');
  const retried = await baton(['flow-run', 'retry', failed.id], env);
  expect(retried.exitCode, retried.stderr).toBe(0);
  expect(retried.stdout).toContain(`Flow run 'to-retry' (${failed.id}) is now Scheduled`);
  const after = (await api('GET', `/flow_runs/${failed.id}`)).body;
  expect(after.state).toMatchObject({ type: 'SCHEDULED', message: 'Retried via CLI' });

  const still = await baton(['flow-run', 'retry', failed.id], env);
  expect(still.exitCode).toBe(1);
  expect(still.stderr.trim()).toBe(
    `Error: Flow run '${failed.id}' is still Scheduled: only a run that has ended (Completed, Failed, Cancelled or Crashed) can be retried.`,
  );
});

test('retry by name: one run with the name is retried; several are listed by ID; none is not found', async () => {
  const named = await createRun(etl, 'retry-by-name');
  await drive(named.id, 'COMPLETED');
  const retried = await baton(['flow-run', 'retry', 'retry-by-name'], env);
  expect(retried.exitCode, retried.stderr).toBe(0);
  expect(retried.stdout).toContain(`Flow run 'retry-by-name' (${named.id}) is now Scheduled`);
  expect((await api('GET', `/flow_runs/${named.id}`)).body.state).toMatchObject({ type: 'SCHEDULED', message: 'Retried via CLI' });

  const twin = await createRun(etl, 'retry-by-name');
  const ambiguous = await baton(['flow-run', 'retry', 'retry-by-name'], env);
  expect(ambiguous.exitCode).toBe(1);
  expect(ambiguous.stderr.trim()).toMatch(new RegExp(`^Error: 2 flow runs are named 'retry-by-name'; pass the ID of one: (${named.id}|${twin.id}), (${named.id}|${twin.id})\\.$`));

  const unknown = await baton(['flow-run', 'retry', 'no-such-run'], env);
  expect(unknown.exitCode).toBe(1);
  expect(unknown.stderr.trim()).toBe("Error: Flow run 'no-such-run' not found: no run has that ID or name. List runs with `baton flow-run ls`.");
});

test('delete removes the run; deleting it again is an error', async () => {
  const run = await createRun(etl, 'to-delete');
  const deleted = await baton(['flow-run', 'delete', run.id, '-y'], env);
  expect(deleted.exitCode, deleted.stderr).toBe(0);
  expect(deleted.stdout.trim()).toBe(`Deleted flow run '${run.id}'.`);
  expect((await api('GET', `/flow_runs/${run.id}`)).status).toBe(404);
  const again = await baton(['flow-run', 'delete', run.id, '-y'], env);
  expect(again.exitCode).toBe(1);
  expect(again.stderr).toContain(`Flow run '${run.id}' not found.`);
});
