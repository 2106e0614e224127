import { z } from 'zod';
import { logFilterBodySchema } from '../../domain/schemas/filters.js';
import { logBatchSchema, logSchema } from '../../domain/schemas/logs.js';
import type { App, RouteContext } from '../app.js';

const tags = ['Logs'];

export function logRoutes(app: App, { store }: RouteContext): void {
  app.post(
    '/logs/',
    { schema: { tags, summary: 'Store a batch of log lines (one transaction)', body: logBatchSchema, response: { 201: z.undefined() } } },
    async (request, reply) => {
      await store.logs.create(request.body);
      return reply.code(201).send();
    },
  );
  app.post(
    '/logs/filter',
    { schema: { tags, body: logFilterBodySchema, response: { 200: z.array(logSchema) } } },
    async (request) => store.logs.filter(request.body.logs, request.body.sort, request.body.limit, request.body.offset),
  );
}
