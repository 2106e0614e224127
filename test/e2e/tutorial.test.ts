import { afterAll, beforeAll, expect, test } from 'vitest';
import { baton, startTestServer, waitFor, type BackgroundProcess } from '../helpers/processes.js';
import { tempDir } from '../helpers/tempDir.js';
import { apiClient, deployFixture, runLogs, startWorker, waitForEnd, type Api } from '../helpers/workerEnv.js';

/**
 * The tutorial, as one test: server; `work-pool create`; `work-pool ls`; a worker in its own
 * process; a deployment of a TypeScript flow; the pool and its default queue turn READY; a
 * curl-style trigger with a parameter; the run completes with its logs.
 */
let home: ReturnType<typeof tempDir>;
let server: BackgroundProcess;
let worker: BackgroundProcess | undefined;
let env: Record<string, string>;
let a: Api;

beforeAll(async () => {
  home = tempDir();
  const started = await startTestServer(home.path);
  server = started.server;
  env = started.env;
  a = apiClient(started.apiUrl);
});
afterAll(async () => {
  await worker?.stop();
  await server?.stop();
  home.remove();
});

test('server → pool → worker → deployment → curl trigger → completed run with its logs', async () => {
  expect((await baton(['work-pool', 'create', '--type', 'process', 'my-process-pool'], env)).exitCode).toBe(0);
  expect((await baton(['work-pool', 'ls'], env)).stdout).toContain('my-process-pool');
  expect((await a.get('/work_pools/my-process-pool')).status).toBe('NOT_READY');

  worker = startWorker(env, ['--pool', 'my-process-pool']);
  await waitFor(async () => (await a.get('/work_pools/my-process-pool')).status === 'READY', 20_000, 'the pool to turn READY');
  await waitFor(async () => (await a.get('/work_pools/my-process-pool/queues/default')).status === 'READY', 20_000, 'the default queue to turn READY');
  const [w] = await a.post('/work_pools/my-process-pool/workers/filter', {});
  expect(w.status).toBe('ONLINE');

  const deployment = await deployFixture(a, 'my-process-pool', 'hello.ts', 'hello');
  // What the README's curl example does: find the deployment by name, create a run with a parameter.
  const byName = await a.get('/deployments/name/hello/test');
  expect(byName.id).toBe(deployment.id);
  const run = await a.post(`/deployments/${deployment.id}/create_flow_run`, { parameters: { name: 'curl' } });
  const done = await waitForEnd(a, run.id);
  expect(done.state_type).toBe('COMPLETED');
  const logs = await runLogs(a, run.id);
  expect(logs.find((l) => l.message === 'Hello, curl!')).toMatchObject({ level: 20, name: 'baton.flow_runs' });
  expect(worker.output()).toContain('Hello, curl!');
});

test('stdout and stderr lines of the flow are stored in order with their levels', async () => {
  const deployment = await deployFixture(a, 'my-process-pool', 'ok.ts', 'ok');
  const run = await a.post(`/deployments/${deployment.id}/create_flow_run`, {});
  expect((await waitForEnd(a, run.id)).state_type).toBe('COMPLETED');
  const messages = (await runLogs(a, run.id)).map((l) => l.message);
  const logger = messages.indexOf('hello from the run logger');
  const stdout = messages.indexOf('hello from console.log');
  expect(logger).toBeGreaterThanOrEqual(0);
  expect(stdout).toBeGreaterThan(logger);
  const states = await a.get(`/flow_run_states/?flow_run_id=${run.id}`);
  const completedAt = Date.parse(states.at(-1).timestamp);
  const logLines = await runLogs(a, run.id);
  const flowLines = logLines.filter((l) => l.name.startsWith('baton.flow_runs'));
  // Every line the flow wrote was stored before its final state.
  for (const l of flowLines) expect(Date.parse((l as unknown as { created: string }).created), `${l.name}: ${l.message}`).toBeLessThanOrEqual(completedAt);
});
