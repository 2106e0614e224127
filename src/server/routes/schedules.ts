import { z } from 'zod';
import { deploymentScheduleCreateSchema, deploymentScheduleSchema, deploymentScheduleUpdateSchema } from '../../domain/schedules/schema.js';
import { errorResponseSchema, uuidSchema } from '../../domain/schemas/common.js';
import type { App, RouteContext } from '../app.js';

const deploymentParams = z.object({ id: uuidSchema });
const scheduleParams = z.object({ id: uuidSchema, schedule_id: uuidSchema });
const tags = ['Deployments'];

/** Prefect's `/deployments/{id}/schedules` endpoints (reference §1.4), with baton's catch-up and max_active_runs. */
export function scheduleRoutes(app: App, { store }: RouteContext): void {
  app.get(
    '/deployments/:id/schedules',
    {
      schema: {
        tags,
        summary: "A deployment's schedules, each with when it fires next",
        params: deploymentParams,
        response: { 200: z.array(deploymentScheduleSchema), 404: errorResponseSchema },
      },
    },
    async (request) => store.schedules.list(request.params.id),
  );
  app.post(
    '/deployments/:id/schedules',
    {
      schema: {
        tags,
        summary: 'Add schedules to a deployment (a slug already used in it is 409; an invalid expression or time zone is 422 naming it)',
        params: deploymentParams,
        body: z.array(deploymentScheduleCreateSchema).max(100),
        response: { 201: z.array(deploymentScheduleSchema), 404: errorResponseSchema, 409: errorResponseSchema },
      },
    },
    async (request, reply) => reply.code(201).send(await store.schedules.create(request.params.id, request.body)),
  );
  app.patch(
    '/deployments/:id/schedules/:schedule_id',
    {
      schema: {
        tags,
        summary: "Change a schedule's given fields; its runs still to come that have not started are replaced",
        params: scheduleParams,
        body: deploymentScheduleUpdateSchema,
        response: { 204: z.undefined(), 404: errorResponseSchema, 409: errorResponseSchema },
      },
    },
    async (request, reply) => {
      await store.schedules.update(request.params.id, request.params.schedule_id, request.body);
      return reply.code(204).send();
    },
  );
  app.delete(
    '/deployments/:id/schedules/:schedule_id',
    {
      schema: {
        tags,
        summary: 'Delete a schedule and its runs that never started',
        params: scheduleParams,
        response: { 204: z.undefined(), 404: errorResponseSchema },
      },
    },
    async (request, reply) => {
      await store.schedules.delete(request.params.id, request.params.schedule_id);
      return reply.code(204).send();
    },
  );
}
