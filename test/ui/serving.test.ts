import Fastify from 'fastify';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { App } from '../../src/server/app.js';
import { uiRoutes } from '../../src/server/routes/ui.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { tempDir } from '../helpers/tempDir.js';

/** The web UI's files at `/`, with a history fallback that never shadows the API. */

const JS = 'console.log("baton ui");\n';
let dir: ReturnType<typeof tempDir>;
let ui: App;
let missing: App;
let t: TestApp;

beforeAll(async () => {
  dir = tempDir();
  mkdirSync(join(dir.path, 'assets'));
  writeFileSync(join(dir.path, 'index.html'), '<!doctype html><div id="app"></div><script type="module" src="/assets/app-ABC.js"></script>');
  writeFileSync(join(dir.path, 'assets/app-ABC.js'), JS);
  writeFileSync(join(dir.path, 'assets/app-ABC.js.gz'), gzipSync(JS));
  writeFileSync(join(dir.path, 'secret.txt'), 'not an asset');
  ui = Fastify({ logger: false }) as unknown as App;
  uiRoutes(ui, { dir: dir.path });
  missing = Fastify({ logger: false }) as unknown as App;
  uiRoutes(missing, { dir: join(dir.path, 'nope') });
  t = await testApp();
});
afterAll(async () => {
  await ui.close();
  await missing.close();
  await t.close();
  dir.remove();
});

test('index.html is served at the root, revalidated every time, with a same-origin-only policy', async () => {
  const res = await ui.inject({ method: 'GET', url: '/' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/html/);
  expect(res.headers['cache-control']).toBe('no-cache');
  expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  expect(res.body).toContain('<div id="app">');
  const again = await ui.inject({ method: 'GET', url: '/', headers: { 'if-none-match': String(res.headers.etag) } });
  expect(again.statusCode).toBe(304);
});

test('deep links load the app (history fallback)', async () => {
  for (const url of ['/runs', '/runs/0191c0de-0000-7000-8000-000000000000', '/work-pools/my-pool', '/work-pools/my.pool?tab=workers', '/deployments/x', '/flows']) {
    const res = await ui.inject({ method: 'GET', url });
    expect(res.statusCode, url).toBe(200);
    expect(res.body, url).toContain('<div id="app">');
  }
});

test('hashed assets are cached for a year and sent gzipped to browsers that accept it', async () => {
  const gz = await ui.inject({ method: 'GET', url: '/assets/app-ABC.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
  expect(gz.statusCode).toBe(200);
  expect(gz.headers['content-encoding']).toBe('gzip');
  expect(gz.headers['content-type']).toMatch(/^text\/javascript/);
  expect(gz.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(gz.headers.vary).toBe('accept-encoding');
  const plain = await ui.inject({ method: 'GET', url: '/assets/app-ABC.js', headers: { 'accept-encoding': 'identity' } });
  expect(plain.headers['content-encoding']).toBeUndefined();
  expect(plain.body).toBe(JS);
  expect((await ui.inject({ method: 'GET', url: '/assets/app-OLD.js' })).statusCode).toBe(404);
  expect((await ui.inject({ method: 'GET', url: '/assets/..%2Fsecret.txt' })).statusCode).toBe(404);
  expect((await ui.inject({ method: 'GET', url: '/assets/.hidden' })).statusCode).toBe(404);
});

test('without a build, the root says how to build the UI', async () => {
  const res = await missing.inject({ method: 'GET', url: '/work-pools' });
  expect(res.statusCode).toBe(503);
  expect(res.headers['content-type']).toMatch(/^text\/html/);
  expect(res.body).toContain('npm run build');
});

test('the API, its documentation and the OpenAPI document are untouched', async () => {
  const unknown = await t.call('GET', '/api/no_such_thing');
  expect(unknown).toEqual({ status: 404, body: { detail: 'Not Found: GET /api/no_such_thing' } });
  expect((await t.call('GET', '/api')).status).toBe(404);
  expect((await t.call('GET', '/api/health')).body).toBe(true);
  const spec = await t.call('GET', '/openapi.json');
  expect(spec.status).toBe(200);
  expect(spec.body.paths['/api/events'].get.summary).toMatch(/server-sent events/);
  expect(spec.body.paths['/']).toBeUndefined();
  expect([200, 302]).toContain((await t.app.inject({ method: 'GET', url: '/docs' })).statusCode);
  // The real app serves the built UI at the root (or the build hint when it is not built).
  const root = await t.app.inject({ method: 'GET', url: '/runs' });
  expect(root.headers['content-type']).toMatch(/^text\/html/);
  expect(root.statusCode === 200 ? root.body : 'npm run build').toMatch(/id="app"|npm run build/);
});
