import { z } from 'zod';
import { dateTimeSchema, errorResponseSchema } from '../../domain/schemas/common.js';
import { deploymentSchema } from '../../domain/schemas/deployments.js';
import { flowRunSchema } from '../../domain/schemas/flowRuns.js';
import type { App, RouteContext } from '../app.js';

const poolParams = z.object({ pool: z.string().min(1) });
const tags = ['Workers'];

const scheduledBodySchema = z.strictObject({
  work_queue_names: z.array(z.string().min(1)).max(100).nullable().optional(),
  scheduled_before: dateTimeSchema.nullable().optional(),
  scheduled_after: dateTimeSchema.nullable().optional(),
  limit: z.number().int().min(0).max(200).default(200),
});

const claimBodySchema = z.strictObject({
  worker_name: z.string().min(1).max(255).regex(/^[^/%]+$/, 'must not contain / or %'),
  work_queue_names: z.array(z.string().min(1)).max(100).nullable().optional(),
  limit: z.number().int().min(0).max(200),
  /** Only runs due before this instant. */
  scheduled_before: dateTimeSchema.nullable().optional(),
  /** Only runs due within this many seconds of now; re-evaluated while the request waits. */
  prefetch_seconds: z.number().min(0).max(3600).nullable().optional(),
  /** Hold the request open up to this long until a run can be claimed. */
  wait_seconds: z.number().min(0).max(120).default(0),
});

const waitBodySchema = z.strictObject({ wait_seconds: z.number().min(0).max(120).default(0) });

const workerFlowRunSchema = z.object({ work_pool_id: z.string(), work_queue_id: z.string(), flow_run: flowRunSchema });
const claimedRunSchema = workerFlowRunSchema.extend({ deployment: deploymentSchema.nullable(), claim_token: z.string() });

/** An AbortSignal that fires when the client goes away before the answer is sent. */
function clientGone(reply: { raw: NodeJS.EventEmitter & { writableFinished: boolean } }): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller.signal;
}

/** How workers get runs: Prefect's read-only poll, and baton's atomic long-poll claim. */
export function workerRunRoutes(app: App, { store, clock, wakeups }: RouteContext): void {
  app.post(
    '/work_pools/:pool/get_scheduled_flow_runs',
    {
      schema: {
        tags,
        summary: "Prefect's worker poll: due runs within every limit, without changing them (the worker then proposes PENDING)",
        params: poolParams,
        body: scheduledBodySchema,
        response: { 200: z.array(workerFlowRunSchema), 404: errorResponseSchema },
      },
    },
    async (request) => {
      const b = request.body;
      return store.flowRuns.scheduled(request.params.pool, {
        queueNames: b.work_queue_names ?? [],
        limit: b.limit,
        scheduledBefore: b.scheduled_before ?? clock.now(),
        scheduledAfter: b.scheduled_after ?? undefined,
      });
    },
  );

  app.post(
    '/work_pools/:pool/claim_flow_runs',
    {
      schema: {
        tags,
        summary:
          'baton: atomically claim due runs for a worker (moved to PENDING, with a claim token); with wait_seconds, answers the moment one can be claimed',
        params: poolParams,
        body: claimBodySchema,
        response: { 200: z.array(claimedRunSchema), 404: errorResponseSchema },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const pool = await store.workPools.get(request.params.pool);
      const queueNames = b.work_queue_names ?? [];
      const prefetchMs = (b.prefetch_seconds ?? 0) * 1000;
      const before = (): number => b.scheduled_before ?? clock.now() + prefetchMs;
      const claimed = await wakeups.wait({
        keys: [`pool:${pool.id}`],
        timeoutMs: b.wait_seconds * 1000,
        signal: clientGone(reply),
        attempt: async () => {
          const runs = await store.flowRuns.claim(pool.name, { workerName: b.worker_name, queueNames, limit: b.limit, scheduledBefore: before() });
          return runs.length > 0 ? runs : null;
        },
        nextAttemptAt: async () => {
          const due = await store.flowRuns.nextDueTime(pool.name, queueNames);
          return due === null ? null : b.scheduled_before != null && due > b.scheduled_before ? null : due - prefetchMs;
        },
      });
      return claimed ?? [];
    },
  );

  app.post(
    '/work_pools/:pool/workers/:name/cancellations',
    {
      schema: {
        tags,
        summary: "baton: the worker's runs that are being cancelled; with wait_seconds, answers the moment one is",
        params: z.object({ pool: z.string().min(1), name: z.string().min(1) }),
        body: waitBodySchema,
        response: { 200: z.array(z.object({ flow_run_id: z.string(), claim_token: z.string().nullable() })), 404: errorResponseSchema },
      },
    },
    async (request, reply) => {
      const { pool, name } = request.params;
      const worker = await store.workers.get(pool, name);
      const attempt = async () => {
        const runs = await store.flowRuns.cancelling(pool, name);
        return runs.length > 0 ? runs : null;
      };
      const found = await wakeups.wait({ keys: [`worker:${worker.id}`], timeoutMs: request.body.wait_seconds * 1000, signal: clientGone(reply), attempt });
      return found ?? [];
    },
  );
}
