import { z } from 'zod';
import { ForbiddenError, InvalidError } from '../../domain/errors.js';
import { DEFAULT_PROCESS_TEMPLATE, validateBaseJobTemplate } from '../../domain/jobTemplate.js';
import { errorResponseSchema } from '../../domain/schemas/common.js';
import { workPoolCountBodySchema, workPoolFilterBodySchema } from '../../domain/schemas/filters.js';
import { workPoolCreateSchema, workPoolSchema, workPoolUpdateSchema } from '../../domain/schemas/workPools.js';
import type { App, RouteContext } from '../app.js';

const poolParams = z.object({ name: z.string().min(1) });
const tags = ['Work Pools'];

/** Names beginning with "prefect" are reserved, as in Prefect. */
export function isReservedPoolName(name: string): boolean {
  return name.toLowerCase().startsWith('prefect');
}

function checkTemplate(template: Record<string, unknown>): void {
  const problems = validateBaseJobTemplate(template);
  if (problems.length > 0) throw new InvalidError('Invalid base job template.', problems);
}

export function workPoolRoutes(app: App, { store }: RouteContext): void {
  app.post(
    '/work_pools/',
    {
      schema: {
        tags,
        summary: 'Create a work pool (with its default queue)',
        body: workPoolCreateSchema,
        response: { 201: workPoolSchema, 403: errorResponseSchema, 409: errorResponseSchema },
      },
    },
    async (request, reply) => {
      const body = request.body;
      if (isReservedPoolName(body.name)) {
        throw new ForbiddenError("Work pools starting with 'Prefect' are reserved for internal use.");
      }
      const template = Object.keys(body.base_job_template).length === 0 ? DEFAULT_PROCESS_TEMPLATE : body.base_job_template;
      checkTemplate(template as Record<string, unknown>);
      const pool = await store.workPools.create({ ...body, base_job_template: template as Record<string, unknown> });
      return reply.code(201).send(pool);
    },
  );

  app.get(
    '/work_pools/:name',
    { schema: { tags, summary: 'Read a work pool by name', params: poolParams, response: { 200: workPoolSchema, 404: errorResponseSchema } } },
    async (request) => store.workPools.get(request.params.name),
  );

  app.post(
    '/work_pools/filter',
    { schema: { tags, summary: 'List work pools', body: workPoolFilterBodySchema, response: { 200: z.array(workPoolSchema) } } },
    async (request) => store.workPools.filter(request.body.work_pools, request.body.limit, request.body.offset),
  );

  app.post(
    '/work_pools/count',
    { schema: { tags, summary: 'Count work pools', body: workPoolCountBodySchema, response: { 200: z.number() } } },
    async (request) => store.workPools.count(request.body.work_pools),
  );

  app.patch(
    '/work_pools/:name',
    {
      schema: {
        tags,
        summary: 'Update a work pool (pause, concurrency limit, description, template)',
        params: poolParams,
        body: workPoolUpdateSchema,
        response: { 204: z.undefined(), 403: errorResponseSchema, 404: errorResponseSchema },
      },
    },
    async (request, reply) => {
      const { name } = request.params;
      const patch = request.body;
      if (isReservedPoolName(name)) {
        const allowed = new Set(['is_paused', 'concurrency_limit']);
        if (Object.keys(patch).some((k) => !allowed.has(k))) {
          throw new ForbiddenError(`Work pool '${name}' is reserved: only is_paused and concurrency_limit can change.`);
        }
      }
      if (patch.base_job_template !== undefined) checkTemplate(patch.base_job_template);
      await store.workPools.update(name, patch);
      return reply.code(204).send();
    },
  );

  app.delete(
    '/work_pools/:name',
    { schema: { tags, summary: 'Delete a work pool, its queues and workers', params: poolParams, response: { 204: z.undefined(), 404: errorResponseSchema } } },
    async (request, reply) => {
      if (isReservedPoolName(request.params.name)) throw new ForbiddenError('Reserved work pools cannot be deleted.');
      await store.workPools.delete(request.params.name);
      return reply.code(204).send();
    },
  );
}
