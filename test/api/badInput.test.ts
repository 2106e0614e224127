import { afterAll, beforeAll, expect, test } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';

/**
 * Malformed requests against a listening server: every answer is a 4xx whose body names the
 * problem, nothing is written, and the server keeps answering.
 */
let t: TestApp;
let base = '';
beforeAll(async () => {
  t = await testApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api`;
  await fetch(`${base}/work_pools/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"existing"}' });
});
afterAll(async () => {
  await t.close();
});

interface Case {
  what: string;
  method?: string;
  path: string;
  body?: string | Buffer;
  contentType?: string | null;
  /** A word the answer must contain, so it names the problem. */
  mentions: RegExp;
}

const json = (v: unknown): string => JSON.stringify(v);
const cases: Case[] = [
  { what: 'invalid JSON', path: '/work_pools/', body: '{"name": "a",', mentions: /not valid JSON/ },
  { what: 'a JSON array instead of an object', path: '/work_pools/', body: '[1,2]', mentions: /expected object/i },
  { what: 'a bare string body', path: '/work_pools/', body: '"pool"', mentions: /expected object/i },
  { what: 'a number as the name', path: '/work_pools/', body: json({ name: 42 }), mentions: /name/ },
  { what: 'a missing name', path: '/work_pools/', body: json({ type: 'process' }), mentions: /name.*Field required/ },
  { what: 'an empty name', path: '/work_pools/', body: json({ name: '' }), mentions: /name/ },
  { what: 'a 5,000-character name', path: '/work_pools/', body: json({ name: 'x'.repeat(5000) }), mentions: /at most 255/ },
  { what: 'a name with a slash', path: '/work_pools/', body: json({ name: 'a/b' }), mentions: /must not contain/ },
  { what: 'an unknown field', path: '/work_pools/', body: json({ name: 'z', colour: 'red' }), mentions: /unknown field: colour/ },
  { what: 'a negative concurrency limit', path: '/work_pools/', body: json({ name: 'z', concurrency_limit: -5 }), mentions: /concurrency_limit/ },
  { what: 'a fractional concurrency limit', path: '/work_pools/', body: json({ name: 'z', concurrency_limit: 1.5 }), mentions: /integer/ },
  { what: 'a string as is_paused', path: '/work_pools/', body: json({ name: 'z', is_paused: 'yes' }), mentions: /is_paused/ },
  { what: 'an unknown pool type', path: '/work_pools/', body: json({ name: 'z', type: 'docker' }), mentions: /type/ },
  { what: 'a template that is an array', path: '/work_pools/', body: json({ name: 'z', base_job_template: [] }), mentions: /base_job_template/ },
  { what: 'a text/plain content type', path: '/work_pools/', body: json({ name: 'z' }), contentType: 'text/plain', mentions: /Content-Type/ },
  { what: 'a form content type', path: '/work_pools/', body: 'name=z', contentType: 'application/x-www-form-urlencoded', mentions: /Content-Type/ },
  { what: 'a 9 MiB body', path: '/work_pools/', body: json({ name: 'z', description: 'x'.repeat(9 * 1024 * 1024) }), mentions: /too large/i },
  { what: 'bad UTF-8', path: '/work_pools/', body: Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), mentions: /UTF-8/ },
  { what: 'a limit above 200', path: '/work_pools/filter', body: json({ limit: 5000 }), mentions: /less than or equal to 200/ },
  { what: 'a negative offset', path: '/work_pools/filter', body: json({ offset: -1 }), mentions: /offset/ },
  { what: 'a string limit', path: '/work_pools/filter', body: json({ limit: 'ten' }), mentions: /limit/ },
  { what: 'an unknown filter key', path: '/work_pools/filter', body: json({ work_pools: { colour: {} } }), mentions: /colour/ },
  { what: 'a heartbeat without a name', path: '/work_pools/existing/workers/heartbeat', body: json({}), mentions: /name/ },
  { what: 'a heartbeat with a negative interval', path: '/work_pools/existing/workers/heartbeat', body: json({ name: 'w', heartbeat_interval_seconds: -3 }), mentions: /heartbeat_interval_seconds/ },
  { what: 'a queue with priority 0', path: '/work_pools/existing/queues', body: json({ name: 'q', priority: 0 }), mentions: /priority/ },
  { what: 'a queue PATCH with a null name', method: 'PATCH', path: '/work_pools/existing/queues/default', body: json({ name: null }), mentions: /name/ },
  { what: 'a pool PATCH with a wrong type', method: 'PATCH', path: '/work_pools/existing', body: json({ concurrency_limit: 'many' }), mentions: /concurrency_limit/ },
  { what: 'a non-UUID legacy queue id', method: 'GET', path: '/work_queues/12345', mentions: /UUID/ },
  { what: 'an unknown route', method: 'GET', path: '/no_such_thing', mentions: /Not Found/ },
  { what: 'an unsupported method', method: 'PUT', path: '/work_pools/existing', body: json({}), mentions: /Not Found/ },
];

test(`${cases.length} malformed requests each get a 4xx naming the problem, and nothing is written`, async () => {
  expect(cases.length).toBeGreaterThanOrEqual(20);
  const before = (t.store.db.prepare('SELECT count(*) AS n FROM work_pool').get() as { n: number }).n;
  for (const c of cases) {
    const headers: Record<string, string> = {};
    if (c.body !== undefined && c.contentType !== null) headers['content-type'] = c.contentType ?? 'application/json';
    const res = await fetch(`${base}${c.path}`, {
      method: c.method ?? 'POST',
      headers,
      ...(c.body === undefined ? {} : { body: c.body }),
    });
    const text = await res.text();
    expect(res.status, `${c.what}: ${text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
    expect(res.status, `${c.what}: ${text.slice(0, 300)}`).toBeLessThan(500);
    expect(text, c.what).toMatch(c.mentions);
    expect(text, `${c.what} leaks a stack trace`).not.toMatch(/\s+at .+\(.+:\d+:\d+\)/);
  }
  const after = (t.store.db.prepare('SELECT count(*) AS n FROM work_pool').get() as { n: number }).n;
  expect(after).toBe(before);
  expect(await (await fetch(`${base}/health`)).json()).toBe(true);
});
