import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { FLOW_FIXTURES, runAssignment, runEngine, type EngineProcess } from '../helpers/engineHarness.js';
import { tempDir } from '../helpers/tempDir.js';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

/** Runs an assignment that cannot start and returns the one Failed proposal and the ERROR lines. */
async function failedRun(overrides: Parameters<typeof runAssignment>[0]) {
  const { engine, code } = await runEngine(runAssignment(overrides));
  cleanups.push(() => engine.kill());
  expect(code, engine.stderr()).toBe(0);
  const proposals = engine.proposals();
  expect(proposals).toHaveLength(1);
  expect(proposals[0]?.type).toBe('FAILED');
  return { engine, message: proposals[0]?.message, errors: errorLines(engine) };
}

function errorLines(engine: EngineProcess): string[] {
  return engine.frames().flatMap((f) => (f.level === 40 ? [f.message] : []));
}

test('a missing entrypoint file', async () => {
  const { message, errors } = await failedRun({ entrypoint: 'flows/x.ts:etl' });
  expect(message).toBe(`Entrypoint file 'flows/x.ts' not found in ${FLOW_FIXTURES.replace(/\/$/, '')}`);
  expect(errors).toEqual([message]);
});

test('a missing export names the exports there are', async () => {
  const { message } = await failedRun({ entrypoint: 'notAFlow.ts:nope' });
  expect(message).toBe("'notAFlow.ts' has no export 'nope' (exports: answer, helper)");
});

test('an export that is not a flow', async () => {
  const { engine, message } = await failedRun({ entrypoint: 'notAFlow.ts:helper' });
  expect(message).toBe("Export 'helper' of 'notAFlow.ts' is not a flow: wrap it with flow(...)");
  expect(engine.messages.map((m) => m.message.type)).not.toContain('loaded');
});

test('invalid parameters name each bad one; the flow is loaded but never runs', async () => {
  const { engine, message } = await failedRun({ entrypoint: 'hello.ts:hello', parameters: { name: 42, extra: true } });
  expect(message).toBe('Invalid parameters: /name: expected string, received number');
  expect(engine.messages.map((m) => m.message.type)).toEqual(['ready', 'loaded', 'set_state']);
});

test('a working directory that does not exist', async () => {
  const { message } = await failedRun({ workingDir: { jobVariable: null, pullSteps: '/nonexistent/baton-dir', deploymentPath: '/tmp' } });
  expect(message).toBe("Working directory '/nonexistent/baton-dir' does not exist");
});

test('a malformed entrypoint', async () => {
  const { message } = await failedRun({ entrypoint: 'ok.ts' });
  expect(message).toBe("Entrypoint 'ok.ts' must look like 'path/to/file.ts:exportName'");
});

test('a file that does not compile or throws on import: one line in the state, the stack in the log', async () => {
  const dir = tempDir();
  cleanups.push(dir.remove);
  mkdirSync(join(dir.path, 'flows'));
  writeFileSync(join(dir.path, 'flows/broken.mjs'), "throw new TypeError('config missing');\n");
  const { message, errors } = await failedRun({ entrypoint: 'flows/broken.mjs:etl', workingDir: { jobVariable: null, pullSteps: null, deploymentPath: dir.path } });
  expect(message).toBe("Could not import 'flows/broken.mjs': TypeError: config missing");
  expect(errors[0]).toMatch(/^Could not import 'flows\/broken\.mjs':\nTypeError: config missing\n\s+at .*broken\.mjs:1/);
});

test('working directory precedence: job variable, then pull steps, then deployment path', async () => {
  const dir = tempDir();
  cleanups.push(dir.remove);
  const { engine } = await runEngine(
    runAssignment({ entrypoint: `${FLOW_FIXTURES}ok.ts:ok`, workingDir: { jobVariable: dir.path, pullSteps: '/nonexistent', deploymentPath: '/nonexistent' } }),
  );
  cleanups.push(() => engine.kill());
  expect(engine.proposals().at(-1)?.type).toBe('COMPLETED');
});
