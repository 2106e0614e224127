import { z } from 'zod';
import { dateTimeSchema } from './common.js';
import { deploymentSchema } from './deployments.js';
import { flowRunSchema } from './flowRuns.js';

/** Prefect's worker poll (`get_scheduled_flow_runs`): read-only. */
export const scheduledRunsBodySchema = z.strictObject({
  work_queue_names: z.array(z.string().min(1)).max(100).nullable().optional(),
  scheduled_before: dateTimeSchema.nullable().optional(),
  scheduled_after: dateTimeSchema.nullable().optional(),
  limit: z.number().int().min(0).max(200).default(200),
});

/** baton's claim: due runs moved to PENDING for one worker, in one transaction. */
export const claimBodySchema = z.strictObject({
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

export const waitBodySchema = z.strictObject({ wait_seconds: z.number().min(0).max(120).default(0) });

export const workerFlowRunSchema = z.object({ work_pool_id: z.string(), work_queue_id: z.string(), flow_run: flowRunSchema });
export type ScheduledRun = z.output<typeof workerFlowRunSchema>;

/** A run handed to a worker, with what it needs to start it and the token its reports carry. */
export const claimedRunSchema = workerFlowRunSchema.extend({ deployment: deploymentSchema.nullable(), claim_token: z.string() });
export type ClaimedRun = z.output<typeof claimedRunSchema>;

export const cancellingRunSchema = z.object({ flow_run_id: z.string(), claim_token: z.string().nullable() });
export type CancellingRun = z.output<typeof cancellingRunSchema>;
