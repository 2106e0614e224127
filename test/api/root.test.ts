import { afterEach, beforeEach, expect, test } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(async () => {
  await t.close();
});

test('health, version, ready and the admin version', async () => {
  expect(await t.call('GET', '/api/health')).toEqual({ status: 200, body: true });
  expect(await t.call('GET', '/api/version')).toEqual({ status: 200, body: '0.8.4' });
  expect(await t.call('GET', '/api/ready')).toEqual({ status: 200, body: { message: 'OK' } });
  expect((await t.call('GET', '/api/admin/version')).body).toMatch(/^\d+\.\d+\.\d+/);
});

test('ready is 503 when the database is gone', async () => {
  t.store.db.close();
  expect(await t.call('GET', '/api/ready')).toEqual({ status: 503, body: { message: 'Database is not available' } });
});

test('the OpenAPI document is generated from the zod schemas and served with its docs page', async () => {
  const spec = await t.call('GET', '/openapi.json');
  expect(spec.status).toBe(200);
  const create = spec.body.paths['/api/work_pools/'].post;
  expect(create.requestBody.content['application/json'].schema.properties.name.type).toBe('string');
  expect(spec.body.paths['/api/work_pools/{name}']).toBeDefined();
  const docs = await t.app.inject({ method: 'GET', url: '/docs' });
  expect([200, 302]).toContain(docs.statusCode);
});

test('Prefect API version header: accepted when valid, 400 when malformed or too old', async () => {
  const call = (v: string) => t.app.inject({ method: 'GET', url: '/api/health', headers: { 'x-prefect-api-version': v } });
  expect((await call('0.8.4')).statusCode).toBe(200);
  expect((await call('banana')).statusCode).toBe(400);
  expect((await call('0.7.0')).statusCode).toBe(400);
});
