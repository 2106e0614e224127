import { z } from 'zod';
import { errorResponseSchema } from '../../domain/schemas/common.js';
import {
  cancellingRunSchema,
  claimBodySchema,
  claimedRunSchema,
  scheduledRunsBodySchema,
  waitBodySchema,
  workerFlowRunSchema,
} from '../../domain/schemas/workerRuns.js';
import type { App, RouteContext } from '../app.js';

const poolParams = z.object({ pool: z.string().min(1) });
const tags = ['Workers'];

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
        body: scheduledRunsBodySchema,
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
        response: { 200: z.array(cancellingRunSchema), 404: errorResponseSchema },
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
