import Fastify from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterEach, expect, test } from 'vitest';
import type { App, RouteContext } from '../../src/server/app.js';
import { eventRoutes, type EventStreamOptions } from '../../src/server/routes/events.js';
import { Wakeups } from '../../src/server/services/wakeups.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { createDeployment, createPool, createRun } from '../helpers/objects.js';
import { waitFor } from '../helpers/processes.js';

/** `GET /api/events`: change notices over server-sent events, coalesced, ended on shutdown. */

interface Frame {
  event?: string;
  data?: unknown;
  comment?: string;
}

/** Reads an SSE stream into frames as they arrive. */
async function openStream(url: string) {
  const controller = new AbortController();
  const res = await fetch(url, { signal: controller.signal });
  const frames: Frame[] = [];
  let ended = false;
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame: Frame = {};
          for (const line of buffer.slice(0, end).split('\n')) {
            if (line.startsWith(':')) frame.comment = line.slice(1).trim();
            else if (line.startsWith('event: ')) frame.event = line.slice(7);
            else if (line.startsWith('data: ')) frame.data = JSON.parse(line.slice(6));
          }
          frames.push(frame);
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      // aborted
    }
    ended = true;
  })();
  return { res, frames, ended: () => ended, close: () => controller.abort() };
}

const events = (frames: Frame[], name: string) => frames.filter((f) => f.event === name);

let t: TestApp | undefined;
let extra: App | undefined;
afterEach(async () => {
  await extra?.close();
  await t?.close();
  extra = undefined;
  t = undefined;
});

async function listen(app: App): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

/** The events route alone, on the test app's store, with options the defaults make slow to test. */
async function eventsApp(t: TestApp, options: Partial<EventStreamOptions>): Promise<string> {
  const app = Fastify({ logger: false }).withTypeProvider<ZodTypeProvider>() as unknown as App;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  const ctx: RouteContext = { store: t.store, clock: t.clock, wakeups: new Wakeups(t.store) };
  app.addHook('onClose', async () => ctx.wakeups.close());
  eventRoutes(app, ctx, { flushMs: 250, heartbeatMs: 15_000, maxNotices: 200, ...options });
  extra = app;
  return listen(app);
}

test('notices name what changed: pools, workers, deployments, runs and their logs', async () => {
  t = await testApp();
  const base = await listen(t.app);
  const stream = await openStream(`${base}/api/events`);
  expect(stream.res.status).toBe(200);
  expect(stream.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  expect(stream.res.headers.get('cache-control')).toMatch(/no-cache/);

  const pool = await createPool(t);
  await waitFor(() => events(stream.frames, 'work_pool').length > 0, 5_000, 'a work_pool notice');
  expect(events(stream.frames, 'work_pool')[0]?.data).toEqual({ work_pool_id: pool.id });

  await t.call('POST', '/api/work_pools/pool/workers/heartbeat', { name: 'w1' });
  await waitFor(() => events(stream.frames, 'worker').length > 0, 5_000, 'a worker notice');
  expect(events(stream.frames, 'worker')[0]?.data).toEqual({ work_pool_id: pool.id });

  const deployment = await createDeployment(t);
  await waitFor(() => events(stream.frames, 'deployment').some((f) => (f.data as { id: string }).id === deployment.id), 5_000, 'a deployment notice');

  const run = await createRun(t, deployment.id, { parameters: { name: 'x' } });
  await waitFor(() => events(stream.frames, 'flow_run').length > 0, 5_000, 'a flow_run notice');
  expect(events(stream.frames, 'flow_run').at(-1)?.data).toEqual({ id: run.id, state_type: 'SCHEDULED', work_pool_id: pool.id });

  await t.call('POST', '/api/logs/', [{ name: 'x', level: 20, message: 'hi', timestamp: new Date().toISOString(), flow_run_id: run.id }]);
  await waitFor(() => events(stream.frames, 'logs').length > 0, 5_000, 'a logs notice');
  expect(events(stream.frames, 'logs')[0]?.data).toEqual({ flow_run_ids: [run.id] });
  // Notices never carry the objects themselves: clients read those through the API.
  expect(JSON.stringify(stream.frames)).not.toContain('"hi"');
  stream.close();
});

test('a burst of changes is coalesced into few writes, and too many become one resync', async () => {
  t = await testApp();
  const base = await eventsApp(t, { flushMs: 1_000, maxNotices: 5 });
  const stream = await openStream(`${base}/events`);
  await createPool(t);
  await waitFor(() => events(stream.frames, 'work_pool').length > 0, 5_000, 'the pool notice');

  for (let i = 0; i < 20; i++) await t.call('POST', '/api/work_pools/pool/workers/heartbeat', { name: 'w1' });
  await waitFor(() => events(stream.frames, 'worker').length > 0, 5_000, 'a worker notice');
  // 20 heartbeats of one pool within about a second: one notice per flush, not one per change.
  expect(events(stream.frames, 'worker').length).toBeLessThanOrEqual(5);

  const deployment = await createDeployment(t);
  for (let i = 0; i < 10; i++) await createRun(t, deployment.id, { parameters: { name: String(i) } });
  await waitFor(() => events(stream.frames, 'resync').length > 0, 10_000, 'a resync notice');
  expect(events(stream.frames, 'resync')[0]?.data).toMatchObject({ reason: expect.stringContaining('more than 5') });
  stream.close();
});

test('a heartbeat comment keeps an idle stream open', async () => {
  t = await testApp();
  const base = await eventsApp(t, { heartbeatMs: 100 });
  const stream = await openStream(`${base}/events`);
  await waitFor(() => stream.frames.some((f) => f.comment === 'heartbeat'), 5_000, 'a heartbeat');
  stream.close();
});

test('the stream ends when the server shuts down, and a client that leaves is forgotten', async () => {
  t = await testApp();
  const base = await listen(t.app);
  const leaving = await openStream(`${base}/api/events`);
  await waitFor(() => leaving.frames.length > 0, 5_000, 'the first frame');
  leaving.close();
  await waitFor(async () => {
    const open = await new Promise<number>((resolve) => t!.app.server.getConnections((_e, n) => resolve(n)));
    return open === 0;
  }, 5_000, 'the connection to close');

  const staying = await openStream(`${base}/api/events`);
  await waitFor(() => staying.frames.length > 0, 5_000, 'the first frame');
  const started = Date.now();
  await t.app.close();
  await waitFor(() => staying.ended(), 5_000, 'the stream to end');
  // Closing did not wait for the stream (it would have waited forever).
  expect(Date.now() - started).toBeLessThan(5_000);
});
