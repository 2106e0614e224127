import { alive } from '../helpers/workerEnv.js';
import { waitFor } from '../helpers/processes.js';
import { afterEach, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { engineCommand } from '../../src/engine/command.js';
import { FLOW_FIXTURES, runAssignment, spawnEngine, type EngineProcess } from '../helpers/engineHarness.js';
import { tempDir } from '../helpers/tempDir.js';

let engines: EngineProcess[] = [];
let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const e of engines) e.kill();
  for (const c of cleanups) c();
  engines = [];
  cleanups = [];
});

function engine(...args: Parameters<typeof spawnEngine>) {
  const e = spawnEngine(...args);
  engines.push(e);
  return e;
}

test('the engine waits for start after ready, then applies env and the working directory', async () => {
  const dir = tempDir();
  cleanups.push(dir.remove);
  const e = engine();
  await e.ready();
  await new Promise((r) => setTimeout(r, 200));
  expect(e.child.exitCode).toBeNull();
  const run = runAssignment({
    entrypoint: `${FLOW_FIXTURES}reportsContext.ts:reportsContext`,
    parameters: { a: 1 },
    env: { GREETING: 'hi' },
    workingDir: { jobVariable: null, pullSteps: dir.path, deploymentPath: null },
    attempt: 2,
  });
  e.start(run);
  expect(await e.exited()).toEqual({ code: 0, signal: null });
  expect(e.proposals().at(-1)?.data).toEqual({
    flowRunId: run.flowRunId,
    flowRunName: 'test-run',
    attempt: 2,
    parameters: { a: 1 },
    cwd: realpathSync(dir.path),
    greeting: 'hi',
    envFlowRunId: run.flowRunId,
    signalAborted: false,
  });
});

test('when the worker goes away (IPC disconnect) the engine takes its process group down, even in the middle of a flow', async () => {
  const waiting = engine();
  await waiting.ready();
  waiting.child.disconnect();
  expect(await waiting.exited()).toEqual({ code: null, signal: 'SIGKILL' });

  const running = engine();
  await running.ready();
  running.start(runAssignment({ entrypoint: 'spawnsChildren.ts:spawnsChildren' }));
  let children: number[] = [];
  while (children.length < 2) {
    children = running.frames().flatMap((f) => /spawned child pid (\d+)/.exec(f.message)?.[1] ?? []).map(Number);
    await new Promise((r) => setTimeout(r, 20));
  }
  running.child.disconnect();
  expect(await running.exited()).toEqual({ code: null, signal: 'SIGKILL' });
  // The flow's own children went with it.
  await waitFor(() => children.every((pid) => !alive(pid)), 5_000, 'the children to be killed');
});

test('process.exit inside the flow ends the engine with that code and no final state', async () => {
  const e = engine();
  await e.ready();
  e.start(runAssignment({ entrypoint: 'exits3.ts:exits3' }));
  expect((await e.exited()).code).toBe(3);
  expect(e.proposals()).toEqual([{ type: 'RUNNING' }]);
  expect(e.output()).toEqual([{ kind: 'line', text: 'exiting with code 3' }]);
});

test('a worker error on a proposal makes the engine exit non-zero (the worker reports a crash)', async () => {
  const e = engine({ respond: () => ({ error: 'server unreachable' }) });
  await e.ready();
  e.start(runAssignment({ entrypoint: 'ok.ts:ok' }));
  expect((await e.exited()).code).toBe(1);
  expect(e.stderr()).toContain('The worker could not set the state: server unreachable');
});

test('a start message that breaks the protocol ends the engine with the reason on stderr', async () => {
  const e = engine();
  await e.ready();
  e.child.send({ type: 'start', run: { flowRunId: 'x' } });
  expect((await e.exited()).code).toBe(1);
  expect(e.stderr()).toContain('The worker sent a message baton\'s engine does not understand');
  expect(e.proposals()).toEqual([]);
});

test('started by hand, without a worker, the engine says so and exits 2', async () => {
  const { command, args } = engineCommand();
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 20_000 });
  expect(result.status).toBe(2);
  expect(result.stderr).toContain('needs an IPC channel');
});
