import { z } from 'zod';
import { errorResponseSchema, uuidSchema } from '../../domain/schemas/common.js';
import { flowRunCountBodySchema, flowRunFilterBodySchema, flowRunPaginateBodySchema } from '../../domain/schemas/filters.js';
import { flowRunCreateSchema, flowRunPageSchema, flowRunSchema, flowRunUpdateSchema } from '../../domain/schemas/flowRuns.js';
import { orchestrationResultSchema, setStateBodySchema, stateSchema } from '../../domain/schemas/states.js';
import { generateSlug } from '../../domain/slugs.js';
import { NotFoundError } from '../../domain/errors.js';
import type { App, RouteContext } from '../app.js';
import { checkParameterSize } from '../runCreation.js';
import { page } from './paging.js';

const idParams = z.object({ id: uuidSchema });
const tags = ['Flow Runs'];

export function flowRunRoutes(app: App, { store }: RouteContext): void {
  app.post(
    '/flow_runs/',
    {
      schema: {
        tags,
        summary: 'Create an ad-hoc run (PENDING unless a state is given); an idempotency key returns the existing run (200)',
        body: flowRunCreateSchema,
        response: { 200: flowRunSchema, 201: flowRunSchema, 404: errorResponseSchema },
      },
    },
    async (request, reply) => {
      const b = request.body;
      checkParameterSize(b.parameters);
      const { flowRun, created } = await store.flowRuns.create({
        flowId: b.flow_id,
        deploymentId: b.deployment_id ?? null,
        deploymentVersion: null,
        name: b.name ?? generateSlug(),
        flowVersion: b.flow_version ?? null,
        parameters: b.parameters,
        context: b.context,
        empiricalPolicy: b.empirical_policy,
        tags: b.tags,
        labels: b.labels,
        idempotencyKey: b.idempotency_key ?? null,
        parentTaskRunId: b.parent_task_run_id ?? null,
        workPoolName: b.work_pool_name ?? null,
        workQueueName: b.work_queue_name ?? null,
        createQueue: false,
        jobVariables: b.job_variables ?? null,
        autoScheduled: false,
        createdBy: null,
        scheduleSlot: null,
        infrastructureDocumentId: b.infrastructure_document_id ?? null,
        state: b.state ?? { type: 'PENDING', state_details: {} },
      });
      return reply.code(created ? 201 : 200).send(flowRun);
    },
  );
  app.get(
    '/flow_runs/:id',
    { schema: { tags, params: idParams, response: { 200: flowRunSchema, 404: errorResponseSchema } } },
    async (request) => store.flowRuns.get(request.params.id),
  );
  app.post(
    '/flow_runs/filter',
    { schema: { tags, summary: 'List runs (newest first by default)', body: flowRunFilterBodySchema, response: { 200: z.array(flowRunSchema) } } },
    async (request) => {
      const { sort, limit, offset, ...filters } = request.body;
      return store.flowRuns.filter(filters, sort, limit, offset);
    },
  );
  app.post(
    '/flow_runs/count',
    { schema: { tags, body: flowRunCountBodySchema, response: { 200: z.number() } } },
    async (request) => store.flowRuns.count(request.body),
  );
  app.post(
    '/flow_runs/paginate',
    { schema: { tags, body: flowRunPaginateBodySchema, response: { 200: flowRunPageSchema } } },
    async (request) => {
      const { sort, limit, page: pageNumber, ...filters } = request.body;
      return page(pageNumber, limit, await store.flowRuns.count(filters), (offset) => store.flowRuns.filter(filters, sort, limit, offset));
    },
  );
  app.patch(
    '/flow_runs/:id',
    { schema: { tags, params: idParams, body: flowRunUpdateSchema, response: { 204: z.undefined(), 400: errorResponseSchema, 404: errorResponseSchema } } },
    async (request, reply) => {
      if (request.body.parameters) checkParameterSize(request.body.parameters);
      await store.flowRuns.update(request.params.id, request.body);
      return reply.code(204).send();
    },
  );
  app.delete(
    '/flow_runs/:id',
    { schema: { tags, params: idParams, response: { 204: z.undefined(), 404: errorResponseSchema } } },
    async (request, reply) => {
      await store.flowRuns.delete(request.params.id);
      return reply.code(204).send();
    },
  );
  app.post(
    '/flow_runs/:id/set_state',
    {
      schema: {
        tags,
        summary: 'Propose a state; the orchestration rules answer ACCEPT, REJECT, ABORT or WAIT (201 when a state was written)',
        params: idParams,
        body: setStateBodySchema,
        response: { 200: orchestrationResultSchema, 201: orchestrationResultSchema, 404: errorResponseSchema, 409: errorResponseSchema },
      },
    },
    async (request, reply) => {
      const { result, written } = await store.flowRuns.setState(request.params.id, request.body);
      return reply.code(written ? 201 : 200).send(result);
    },
  );

  const stateTags = ['Flow Run States'];
  app.get(
    '/flow_run_states/',
    { schema: { tags: stateTags, summary: "A run's states, oldest first", querystring: z.object({ flow_run_id: uuidSchema }), response: { 200: z.array(stateSchema), 404: errorResponseSchema } } },
    async (request) => store.flowRuns.states(request.query.flow_run_id),
  );
  app.get(
    '/flow_run_states/:id',
    { schema: { tags: stateTags, params: idParams, response: { 200: stateSchema, 404: errorResponseSchema } } },
    async (request) => {
      const state = await store.flowRuns.stateById(request.params.id);
      if (!state) throw new NotFoundError('Flow run state not found');
      return state;
    },
  );
}
