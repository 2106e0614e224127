import { z } from 'zod';
import { errorResponseSchema, uuidSchema } from '../../domain/schemas/common.js';
import { flowCountBodySchema, flowFilterBodySchema, flowPaginateBodySchema } from '../../domain/schemas/filters.js';
import { flowCreateSchema, flowSchema, flowUpdateSchema } from '../../domain/schemas/flows.js';
import type { App, RouteContext } from '../app.js';
import { page } from './paging.js';

const idParams = z.object({ id: uuidSchema });
const tags = ['Flows'];

export function flowRoutes(app: App, { store }: RouteContext): void {
  app.post(
    '/flows/',
    { schema: { tags, summary: 'Create a flow, or return the existing one of that name (200)', body: flowCreateSchema, response: { 200: flowSchema, 201: flowSchema } } },
    async (request, reply) => {
      const { flow, created } = await store.flows.upsert(request.body);
      return reply.code(created ? 201 : 200).send(flow);
    },
  );
  app.get(
    '/flows/:id',
    { schema: { tags, params: idParams, response: { 200: flowSchema, 404: errorResponseSchema } } },
    async (request) => store.flows.get(request.params.id),
  );
  app.get(
    '/flows/name/:name',
    { schema: { tags, params: z.object({ name: z.string().min(1) }), response: { 200: flowSchema, 404: errorResponseSchema } } },
    async (request) => store.flows.getByName(request.params.name),
  );
  app.patch(
    '/flows/:id',
    { schema: { tags, params: idParams, body: flowUpdateSchema, response: { 204: z.undefined(), 404: errorResponseSchema } } },
    async (request, reply) => {
      await store.flows.update(request.params.id, request.body);
      return reply.code(204).send();
    },
  );
  app.delete(
    '/flows/:id',
    { schema: { tags, summary: 'Delete a flow with its deployments and runs', params: idParams, response: { 204: z.undefined(), 404: errorResponseSchema } } },
    async (request, reply) => {
      await store.flows.delete(request.params.id);
      return reply.code(204).send();
    },
  );
  app.post(
    '/flows/filter',
    { schema: { tags, body: flowFilterBodySchema, response: { 200: z.array(flowSchema) } } },
    async (request) => {
      const { sort, limit, offset, ...filters } = request.body;
      return store.flows.filter(filters, sort, limit, offset);
    },
  );
  app.post('/flows/count', { schema: { tags, body: flowCountBodySchema, response: { 200: z.number() } } }, async (request) => store.flows.count(request.body));
  app.post(
    '/flows/paginate',
    { schema: { tags, body: flowPaginateBodySchema } },
    async (request) => {
      const { sort, limit, page: pageNumber, ...filters } = request.body;
      return page(pageNumber, limit, await store.flows.count(filters), (offset) => store.flows.filter(filters, sort, limit, offset));
    },
  );
}
