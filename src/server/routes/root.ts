import { z } from 'zod';
import { BadRequestError } from '../../domain/errors.js';
import type { App, RouteContext } from '../app.js';
import { API_VERSION, BATON_VERSION } from '../version.js';

const API_VERSION_RE = /^\d+\.\d+\.\d+$/;

/** Health, readiness and version endpoints, and Prefect's API-version header check. */
export function rootRoutes(app: App, { store }: RouteContext): void {
  app.addHook('onRequest', async (request) => {
    const header = request.headers['x-prefect-api-version'];
    if (header === undefined) return;
    const value = Array.isArray(header) ? header[0] : header;
    if (!value || !API_VERSION_RE.test(value)) {
      throw new BadRequestError(`Invalid X-PREFECT-API-VERSION header '${value}': expected a version like ${API_VERSION}.`);
    }
    const [major = 0, minor = 0] = value.split('.').map(Number);
    if (major === 0 && minor < 8) {
      throw new BadRequestError(`The client's API version ${value} is too old: this server needs at least 0.8.0.`);
    }
  });

  app.get('/health', { schema: { tags: ['Root'], response: { 200: z.boolean() } } }, async () => true);
  app.get('/version', { schema: { tags: ['Root'], response: { 200: z.string() } } }, async () => API_VERSION);
  app.get('/hello', { schema: { tags: ['Root'], response: { 200: z.string() } } }, async () => '👋');
  app.get('/admin/version', { schema: { tags: ['Root'], response: { 200: z.string() } } }, async () => BATON_VERSION);
  app.get(
    '/ready',
    { schema: { tags: ['Root'], response: { 200: z.object({ message: z.string() }), 503: z.object({ message: z.string() }) } } },
    async (_request, reply) => {
      try {
        await store.ping();
        return { message: 'OK' };
      } catch {
        return reply.code(503).send({ message: 'Database is not available' });
      }
    },
  );
}
