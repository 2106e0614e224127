import { afterEach, expect, test } from 'vitest';
import { acceptAll, answers, runAssignment, runEngine, type EngineProcess } from '../helpers/engineHarness.js';

let engines: EngineProcess[] = [];
afterEach(() => {
  for (const e of engines) e.kill();
  engines = [];
});

async function run(...args: Parameters<typeof runEngine>) {
  const result = await runEngine(...args);
  engines.push(result.engine);
  return result;
}

test('a TypeScript flow completes: logger line framed, console line plain, in order, bytes counted', async () => {
  const { engine, code } = await run(runAssignment({ entrypoint: 'ok.ts:ok' }));
  expect(code, engine.stderr()).toBe(0);
  const types = engine.messages.map((m) => m.message.type);
  expect(types).toEqual(['ready', 'loaded', 'set_state', 'set_state']);
  expect(engine.proposals()).toEqual([
    { type: 'RUNNING' },
    { type: 'COMPLETED', message: 'Flow run completed.', data: { ok: true } },
  ]);
  expect(engine.output()).toEqual([
    { kind: 'frame', frame: { level: 20, timestamp: expect.any(Number), name: 'baton.flow_runs', message: 'hello from the run logger' } },
    { kind: 'line', text: 'hello from console.log' },
  ]);
  // The final proposal announces every byte written before it, and nothing comes after it.
  const completed = engine.messages.at(-1)!;
  expect(completed.message.stdoutBytes).toBe(Buffer.byteLength(engine.stdout()));
  expect(completed.message.stdoutBytes).toBe(engine.stdoutBytes());
  expect(completed.message.stderrBytes).toBe(0);
  expect(engine.messages[0]!.message).toEqual({ type: 'ready', stdoutBytes: 0, stderrBytes: 0 });
});

test('loaded reports the flow as written', async () => {
  const { engine } = await run(runAssignment({ entrypoint: 'flaky.ts:flaky' }), {
    respond: (state) => (state.type === 'FAILED' ? answers.accept(state) : acceptAll(state, 0)),
  });
  expect(engine.messages[1]!.message).toMatchObject({
    type: 'loaded',
    flow: { name: 'flaky', version: null, retries: 2, retryDelaySeconds: 0, timeoutSeconds: null },
  });
});

test('a flow that throws: FAILED with the one-line message, the stack in the log at ERROR', async () => {
  const { engine, code } = await run(runAssignment({ entrypoint: 'fails.ts:fails' }));
  expect(code).toBe(0);
  expect(engine.proposals()).toEqual([{ type: 'RUNNING' }, { type: 'FAILED', message: 'Error: boom' }]);
  const error = engine.frames().find((f) => f.level === 40);
  expect(error?.message).toMatch(/^Encountered exception during execution:\nError: boom\n\s+at .*fails\.ts:5/);
  expect(engine.messages.at(-1)!.message.stdoutBytes).toBe(engine.stdoutBytes());
});

test('retries: AwaitingRetry twice, then completes on attempt 3 as Retrying', async () => {
  const { engine, code } = await run(runAssignment({ entrypoint: 'flaky.ts:flaky' }), {
    respond: (state) => (state.type === 'FAILED' ? answers.awaitingRetry(0.2) : answers.accept(state)),
  });
  expect(code, engine.stderr()).toBe(0);
  expect(engine.proposals().map((s) => [s.type, s.name ?? null])).toEqual([
    ['RUNNING', null],
    ['FAILED', null],
    ['RUNNING', 'Retrying'],
    ['FAILED', null],
    ['RUNNING', 'Retrying'],
    ['COMPLETED', null],
  ]);
  expect(engine.proposals().at(-1)?.data).toEqual({ attempt: 3 });
  const messages = engine.frames().map((f) => f.message);
  expect(messages.filter((m) => m.startsWith('attempt '))).toEqual(['attempt 1', 'attempt 2', 'attempt 3']);
  expect(messages.filter((m) => m.startsWith('Retrying in '))).toEqual(['Retrying in 0s (attempt 2 of 3)', 'Retrying in 0s (attempt 3 of 3)']);
  // The retry waits for the AwaitingRetry state's scheduled time.
  const proposedAt = engine.messages.filter((m) => m.message.type === 'set_state').map((m) => m.at);
  expect(proposedAt[2]! - proposedAt[1]!).toBeGreaterThanOrEqual(150);
});

test('WAIT: the engine sleeps the delay and proposes RUNNING again', async () => {
  const { engine, code } = await run(runAssignment({ entrypoint: 'ok.ts:ok' }), {
    respond: (state, i) => (i === 0 ? answers.wait(0.3) : answers.accept(state)),
  });
  expect(code).toBe(0);
  expect(engine.proposals().map((s) => s.type)).toEqual(['RUNNING', 'RUNNING', 'COMPLETED']);
  const [first, second] = engine.messages.filter((m) => m.message.type === 'set_state');
  expect(second!.at - first!.at).toBeGreaterThanOrEqual(250);
});

test('ABORT of RUNNING (the run was cancelled): the reason is logged and the flow never runs', async () => {
  const { engine, code } = await run(runAssignment({ entrypoint: 'ok.ts:ok' }), {
    respond: () => answers.abort('Run is already in terminal state CANCELLED.'),
  });
  expect(code).toBe(0);
  expect(engine.proposals()).toEqual([{ type: 'RUNNING' }]);
  expect(engine.output()).toEqual([
    {
      kind: 'frame',
      frame: expect.objectContaining({ level: 30, message: 'Not running the flow: the server answered ABORT: Run is already in terminal state CANCELLED.' }),
    },
  ]);
});

test('a retried run (attempt > 1) proposes Retrying and counts attempts from there', async () => {
  const { engine } = await run(runAssignment({ entrypoint: 'flaky.ts:flaky', attempt: 3 }));
  expect(engine.proposals().map((s) => [s.type, s.name ?? null])).toEqual([
    ['RUNNING', 'Retrying'],
    ['COMPLETED', null],
  ]);
});

test('parameters are parsed with the flow schema (defaults applied) and the context carries the run', async () => {
  const named = await run(runAssignment({ entrypoint: 'hello.ts:hello', parameters: { name: 'Ada' } }));
  expect(named.engine.frames().map((f) => f.message)).toEqual(['Hello, Ada!']);
  expect(named.engine.proposals().at(-1)?.data).toBe('Hello, Ada!');
  const defaulted = await run(runAssignment({ entrypoint: 'helloJs.mjs:helloJs' }));
  expect(defaulted.engine.frames().map((f) => f.message)).toEqual(['Hello, world!']);
});

test('the context signal aborts at timeoutSeconds; a cooperative flow fails with the timeout', async () => {
  const { engine } = await run(runAssignment({ entrypoint: 'stopsOnTimeout.ts:stopsOnTimeout' }));
  expect(engine.frames().map((f) => f.message).slice(0, 2)).toEqual(['waiting for my timeout', 'signal aborted, stopping']);
  expect(engine.proposals().at(-1)).toEqual({ type: 'FAILED', message: "FlowTimeoutError: Flow 'stops-on-timeout' timed out after 0.5 s" });
});
