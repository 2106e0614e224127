import { z } from 'zod';
import { errorResponseSchema, uuidSchema } from '../../domain/schemas/common.js';
import { deploymentCreateSchema, deploymentSchema, deploymentUpdateSchema } from '../../domain/schemas/deployments.js';
import { deploymentCountBodySchema, deploymentFilterBodySchema, deploymentPaginateBodySchema } from '../../domain/schemas/filters.js';
import { deploymentFlowRunCreateSchema, flowRunSchema } from '../../domain/schemas/flowRuns.js';
import type { App, RouteContext } from '../app.js';
import { deploymentRun } from '../runCreation.js';
import { page } from './paging.js';

const idParams = z.object({ id: uuidSchema });
const tags = ['Deployments'];

export function deploymentRoutes(app: App, { store, clock }: RouteContext): void {
  app.post(
    '/deployments/',
    {
      schema: {
        tags,
        summary: 'Create a deployment, or update the one with the same flow and name (200)',
        body: deploymentCreateSchema,
        response: { 200: deploymentSchema, 201: deploymentSchema, 404: errorResponseSchema },
      },
    },
    async (request, reply) => {
      const { deployment, created } = await store.deployments.upsert(request.body);
      return reply.code(created ? 201 : 200).send(deployment);
    },
  );
  app.get(
    '/deployments/:id',
    { schema: { tags, params: idParams, response: { 200: deploymentSchema, 404: errorResponseSchema } } },
    async (request) => store.deployments.get(request.params.id),
  );
  app.get(
    '/deployments/name/:flow/:deployment',
    {
      schema: {
        tags,
        summary: 'Read a deployment by `flow/deployment` name',
        params: z.object({ flow: z.string().min(1), deployment: z.string().min(1) }),
        response: { 200: deploymentSchema, 404: errorResponseSchema },
      },
    },
    async (request) => store.deployments.getByName(request.params.flow, request.params.deployment),
  );
  app.post(
    '/deployments/filter',
    { schema: { tags, body: deploymentFilterBodySchema, response: { 200: z.array(deploymentSchema) } } },
    async (request) => {
      const { sort, limit, offset, ...filters } = request.body;
      return store.deployments.filter(filters, sort, limit, offset);
    },
  );
  app.post(
    '/deployments/count',
    { schema: { tags, body: deploymentCountBodySchema, response: { 200: z.number() } } },
    async (request) => store.deployments.count(request.body),
  );
  app.post('/deployments/paginate', { schema: { tags, body: deploymentPaginateBodySchema } }, async (request) => {
    const { sort, limit, page: pageNumber, ...filters } = request.body;
    return page(pageNumber, limit, await store.deployments.count(filters), (offset) => store.deployments.filter(filters, sort, limit, offset));
  });
  app.patch(
    '/deployments/:id',
    { schema: { tags, summary: 'Change only the given fields', params: idParams, body: deploymentUpdateSchema, response: { 204: z.undefined(), 404: errorResponseSchema } } },
    async (request, reply) => {
      await store.deployments.update(request.params.id, request.body);
      return reply.code(204).send();
    },
  );
  app.delete(
    '/deployments/:id',
    { schema: { tags, params: idParams, response: { 204: z.undefined(), 404: errorResponseSchema } } },
    async (request, reply) => {
      await store.deployments.delete(request.params.id);
      return reply.code(204).send();
    },
  );
  for (const [path, paused] of [
    ['pause_deployment', true],
    ['resume_deployment', false],
  ] as const) {
    app.post(
      `/deployments/:id/${path}`,
      { schema: { tags, summary: paused ? 'Pause: no new scheduled runs' : 'Resume', params: idParams, response: { 200: z.null(), 404: errorResponseSchema } } },
      async (request) => {
        await store.deployments.setPaused(request.params.id, paused);
        return null;
      },
    );
  }
  app.post(
    '/deployments/:id/create_flow_run',
    {
      schema: {
        tags,
        summary: 'Create a run of a deployment; parameters are validated against its schema (422 names each bad one)',
        params: idParams,
        body: deploymentFlowRunCreateSchema,
        response: { 200: flowRunSchema, 201: flowRunSchema, 404: errorResponseSchema },
      },
    },
    async (request, reply) => {
      const deployment = await store.deployments.get(request.params.id);
      const write = await deploymentRun(store, deployment, request.body, clock.now());
      const { flowRun, created } = await store.flowRuns.create(write);
      return reply.code(created ? 201 : 200).send(flowRun);
    },
  );
}
