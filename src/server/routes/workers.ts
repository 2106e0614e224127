import { z } from 'zod';
import { errorResponseSchema } from '../../domain/schemas/common.js';
import { workerFilterBodySchema } from '../../domain/schemas/filters.js';
import { workerHeartbeatSchema, workerSchema } from '../../domain/schemas/workPools.js';
import type { App, RouteContext } from '../app.js';

const poolParams = z.object({ pool: z.string().min(1) });
const tags = ['Workers'];

export function workerRoutes(app: App, { store }: RouteContext): void {
  app.post(
    '/work_pools/:pool/workers/heartbeat',
    {
      schema: {
        tags,
        summary: 'Record a worker heartbeat (registers the worker on its first one)',
        params: poolParams,
        body: workerHeartbeatSchema,
        response: { 204: z.undefined(), 404: errorResponseSchema },
      },
    },
    async (request, reply) => {
      await store.workers.heartbeat(request.params.pool, request.body);
      return reply.code(204).send();
    },
  );

  app.post(
    '/work_pools/:pool/workers/filter',
    {
      schema: {
        tags,
        summary: "List a pool's workers, most recent heartbeat first",
        params: poolParams,
        body: workerFilterBodySchema,
        response: { 200: z.array(workerSchema), 404: errorResponseSchema },
      },
    },
    async (request) => store.workers.filter(request.params.pool, request.body.workers, request.body.limit, request.body.offset),
  );

  app.delete(
    '/work_pools/:pool/workers/:name',
    { schema: { tags, summary: 'Delete a worker', params: z.object({ pool: z.string().min(1), name: z.string().min(1) }), response: { 204: z.undefined(), 404: errorResponseSchema } } },
    async (request, reply) => {
      await store.workers.delete(request.params.pool, request.params.name);
      return reply.code(204).send();
    },
  );
}
