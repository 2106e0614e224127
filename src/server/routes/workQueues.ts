import { z } from 'zod';
import { errorResponseSchema, uuidSchema } from '../../domain/schemas/common.js';
import { workQueueFilterBodySchema } from '../../domain/schemas/filters.js';
import { workQueueCreateSchema, workQueueSchema, workQueueStatusDetailSchema, workQueueUpdateSchema } from '../../domain/schemas/workPools.js';
import { NotFoundError } from '../../domain/errors.js';
import type { App, RouteContext } from '../app.js';

const poolParams = z.object({ pool: z.string().min(1) });
const queueParams = z.object({ pool: z.string().min(1), name: z.string().min(1) });
const tags = ['Work Queues'];


/** Queues under their pool (`/work_pools/{pool}/queues/…`) and the legacy id-based reads. */
export function workQueueRoutes(app: App, { store }: RouteContext): void {
  app.post(
    '/work_pools/:pool/queues',
    {
      schema: {
        tags,
        summary: 'Create a queue in a pool',
        params: poolParams,
        body: workQueueCreateSchema,
        response: { 201: workQueueSchema, 404: errorResponseSchema, 409: errorResponseSchema },
      },
    },
    async (request, reply) => reply.code(201).send(await store.workQueues.create(request.params.pool, request.body)),
  );

  app.get(
    '/work_pools/:pool/queues/:name',
    { schema: { tags, summary: 'Read a queue of a pool', params: queueParams, response: { 200: workQueueSchema, 404: errorResponseSchema } } },
    async (request) => store.workQueues.get(request.params.pool, request.params.name),
  );

  app.post(
    '/work_pools/:pool/queues/filter',
    {
      schema: {
        tags,
        summary: "List a pool's queues by priority",
        params: poolParams,
        body: workQueueFilterBodySchema,
        response: { 200: z.array(workQueueSchema), 404: errorResponseSchema },
      },
    },
    async (request) =>
      store.workQueues.filter(request.params.pool, request.body.work_queues, request.body.limit, request.body.offset),
  );

  app.patch(
    '/work_pools/:pool/queues/:name',
    {
      schema: {
        tags,
        summary: 'Update a queue (pause, priority, concurrency limit, …)',
        params: queueParams,
        body: workQueueUpdateSchema,
        response: { 204: z.undefined(), 404: errorResponseSchema, 409: errorResponseSchema },
      },
    },
    async (request, reply) => {
      await store.workQueues.update(request.params.pool, request.params.name, request.body);
      return reply.code(204).send();
    },
  );

  app.delete(
    '/work_pools/:pool/queues/:name',
    { schema: { tags, summary: "Delete a queue (never the pool's default)", params: queueParams, response: { 204: z.undefined(), 400: errorResponseSchema, 404: errorResponseSchema } } },
    async (request, reply) => {
      await store.workQueues.delete(request.params.pool, request.params.name);
      return reply.code(204).send();
    },
  );

  // Legacy id-based reads (Prefect's /work_queues/…).
  const legacyTags = ['Work Queues (legacy)'];
  app.get(
    '/work_queues/:id',
    { schema: { tags: legacyTags, params: z.object({ id: uuidSchema }), response: { 200: workQueueSchema, 404: errorResponseSchema } } },
    async (request) => store.workQueues.getById(request.params.id),
  );
  app.get(
    '/work_queues/name/:name',
    { schema: { tags: legacyTags, params: z.object({ name: z.string().min(1) }), response: { 200: workQueueSchema, 404: errorResponseSchema } } },
    async (request) => {
      const [queue] = await store.workQueues.findByName(request.params.name);
      if (!queue) throw new NotFoundError('work queue not found');
      return queue;
    },
  );
  app.post(
    '/work_queues/filter',
    { schema: { tags: legacyTags, body: workQueueFilterBodySchema, response: { 200: z.array(workQueueSchema) } } },
    async (request) => store.workQueues.filter(null, request.body.work_queues, request.body.limit, request.body.offset),
  );
  app.get(
    '/work_queues/:id/status',
    { schema: { tags: legacyTags, params: z.object({ id: uuidSchema }), response: { 200: workQueueStatusDetailSchema, 404: errorResponseSchema } } },
    async (request) => store.workQueues.statusDetail(request.params.id),
  );
}
