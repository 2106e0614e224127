import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { answers, runAssignment, runEngine, type EngineProcess, type Responder } from '../helpers/engineHarness.js';
import { tempDir } from '../helpers/tempDir.js';

/** One-off flows for engine corner cases, written to a temp dir and importing the SDK by path. */
const SDK_SOURCE = fileURLToPath(new URL('../../src/sdk/index.ts', import.meta.url));
const SDK_COMPILED = fileURLToPath(new URL('../../dist/sdk/index.js', import.meta.url));

let dir: ReturnType<typeof tempDir>;
let engines: EngineProcess[] = [];
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => {
  for (const e of engines) e.kill();
  engines = [];
  dir.remove();
});

async function runFlowSource(file: string, source: string, respond?: Responder) {
  writeFileSync(join(dir.path, file), source);
  const run = runAssignment({ entrypoint: `${file}:f`, workingDir: { jobVariable: dir.path, pullSteps: null, deploymentPath: null } });
  const result = await runEngine(run, respond ? { respond } : {});
  engines.push(result.engine);
  return result;
}

test('a log frame always starts a line, even after output without a newline', async () => {
  const { engine } = await runFlowSource(
    'partial.mjs',
    `import { flow } from '${SDK_COMPILED}';
export const f = flow({ name: 'partial' }, (_p, { log }) => { process.stdout.write('no newline'); log.info('framed'); });`,
  );
  expect(engine.output()).toEqual([
    { kind: 'line', text: 'no newline' },
    { kind: 'frame', frame: expect.objectContaining({ message: 'framed' }) },
  ]);
  expect(engine.messages.at(-1)?.message.stdoutBytes).toBe(engine.stdoutBytes());
});

test('stdout and stderr bytes are counted per stream, multi-byte characters included', async () => {
  const { engine } = await runFlowSource(
    'bytes.mjs',
    `import { flow } from '${SDK_COMPILED}';
export const f = flow({ name: 'bytes' }, () => { console.log('héllo ✓'); console.error('wärning'); });`,
  );
  const final = engine.messages.at(-1)!.message;
  expect(final.stdoutBytes).toBe(Buffer.byteLength('héllo ✓\n'));
  expect(final.stderrBytes).toBe(Buffer.byteLength('wärning\n'));
  expect(engine.stderr()).toBe('wärning\n');
});

test('an error nobody awaited fails the attempt (and can be retried) instead of crashing the process', async () => {
  const { engine, code } = await runFlowSource(
    'stray.mjs',
    `import { flow } from '${SDK_COMPILED}';
export const f = flow({ name: 'stray', retries: 1 }, async (_p, { attempt }) => {
  if (attempt === 1) { Promise.reject(new RangeError('forgotten')); await new Promise((r) => setTimeout(r, 5000)); }
  return 'second time lucky';
});`,
    (state) => (state.type === 'FAILED' ? answers.awaitingRetry(0) : answers.accept(state)),
  );
  expect(code, engine.stderr()).toBe(0);
  expect(engine.proposals().map((s) => s.type)).toEqual(['RUNNING', 'FAILED', 'RUNNING', 'COMPLETED']);
  expect(engine.proposals()[1]?.message).toBe('RangeError: forgotten');
  expect(engine.proposals().at(-1)?.data).toBe('second time lucky');
});

test('a flow that calls another flow directly: its logs reach the worker framed, even through another SDK copy', async () => {
  const { engine } = await runFlowSource(
    'nested.ts',
    `import { flow } from '${SDK_SOURCE}';
const inner = flow({ name: 'inner' }, (_p, { log }) => { log.info('inner says hi'); return 2; });
export const f = flow({ name: 'outer' }, async (_p, { log }) => { log.info('outer'); return 1 + (await inner()); });`,
  );
  expect(engine.output()).toEqual([
    { kind: 'frame', frame: expect.objectContaining({ message: 'outer' }) },
    { kind: 'frame', frame: expect.objectContaining({ message: 'inner says hi' }) },
  ]);
  expect(engine.proposals().at(-1)?.data).toBe(3);
});

test('COMPLETED refused by the server is logged, not retried; the engine still exits 0', async () => {
  const { engine, code } = await runFlowSource(
    'refused.mjs',
    `import { flow } from '${SDK_COMPILED}';
export const f = flow({ name: 'refused' }, () => 1);`,
    (state) => (state.type === 'COMPLETED' ? answers.reject('This run cannot transition to the COMPLETED state', { type: 'CANCELLING', name: 'Cancelling' }) : answers.accept(state)),
  );
  expect(code).toBe(0);
  expect(engine.frames().at(-1)?.message).toBe(
    'The server did not accept the COMPLETED state: REJECT: This run cannot transition to the COMPLETED state',
  );
});

test('a run scheduled in the future waits for its time before proposing RUNNING', async () => {
  writeFileSync(join(dir.path, 'soon.mjs'), `import { flow } from '${SDK_COMPILED}';\nexport const f = flow({ name: 'soon' }, () => 1);`);
  const scheduledTime = Date.now() + 1_500;
  const { engine } = await runEngine(
    runAssignment({ entrypoint: 'soon.mjs:f', scheduledTime, workingDir: { jobVariable: dir.path, pullSteps: null, deploymentPath: null } }),
  );
  engines.push(engine);
  const running = engine.messages.find((m) => m.message.type === 'set_state')!;
  expect(running.at).toBeGreaterThanOrEqual(scheduledTime - 20);
});

test('output a flow schedules on its way out (a tick, a microtask, a warning) is counted before its final state', async () => {
  const { engine, code } = await runFlowSource(
    'late.mjs',
    `import { flow } from '${SDK_COMPILED}';
export const f = flow({ name: 'late' }, () => {
  process.nextTick(() => console.log('from a tick'));
  Promise.resolve().then(() => console.log('from a microtask'));
  process.emitWarning('a warning on stderr');
  return 1;
});`,
  );
  expect(code).toBe(0);
  expect(engine.stdout()).toContain('from a tick\n');
  expect(engine.stdout()).toContain('from a microtask\n');
  expect(engine.stderr()).toContain('Warning: a warning on stderr');
  const final = engine.messages.at(-1)?.message;
  expect(final).toMatchObject({ type: 'set_state', state: { type: 'COMPLETED' } });
  // The worker stores everything up to these counts before it proposes the state.
  expect(final?.stdoutBytes).toBe(engine.stdoutBytes());
  expect(final?.stderrBytes).toBe(Buffer.byteLength(engine.stderr()));
});
