import { z } from 'zod';
import { jsonObjectSchema, nameSchema, objectFields, poolNameSchema } from './common.js';

export const WORK_POOL_STATUSES = ['READY', 'NOT_READY', 'PAUSED'] as const;
export type WorkPoolStatus = (typeof WORK_POOL_STATUSES)[number];

/** Pool types a baton worker can run. Prefect's other types (docker, kubernetes, …) have no worker here. */
export const WORK_POOL_TYPES = ['process'] as const;

const concurrencyLimit = z.number().int('must be an integer').min(0, 'must be greater than or equal to 0').nullable();

export const baseJobTemplateSchema = z.record(z.string(), z.unknown());

export const workPoolCreateSchema = z.strictObject({
  name: poolNameSchema,
  description: z.string().max(10_000).nullable().optional(),
  type: z
    .string()
    .min(1)
    .max(100)
    .refine((t) => (WORK_POOL_TYPES as readonly string[]).includes(t), {
      message: `is not a known work pool type; use one of: ${WORK_POOL_TYPES.join(', ')}`,
    })
    .default('process'),
  base_job_template: baseJobTemplateSchema.default({}),
  is_paused: z.boolean().default(false),
  concurrency_limit: concurrencyLimit.optional(),
  storage_configuration: jsonObjectSchema.optional(),
});
export type WorkPoolCreate = z.output<typeof workPoolCreateSchema>;

export const workPoolUpdateSchema = z.strictObject({
  description: z.string().max(10_000).nullable().optional(),
  is_paused: z.boolean().optional(),
  base_job_template: baseJobTemplateSchema.optional(),
  concurrency_limit: concurrencyLimit.optional(),
  storage_configuration: jsonObjectSchema.optional(),
});
export type WorkPoolUpdate = z.output<typeof workPoolUpdateSchema>;

export const workPoolSchema = z.object({
  ...objectFields,
  name: z.string(),
  description: z.string().nullable(),
  type: z.string(),
  base_job_template: baseJobTemplateSchema,
  is_paused: z.boolean(),
  concurrency_limit: z.number().nullable(),
  status: z.enum(WORK_POOL_STATUSES),
  default_queue_id: z.string(),
  storage_configuration: jsonObjectSchema,
  active_slots: z.number().nullable(),
});
export type WorkPool = z.output<typeof workPoolSchema>;

export const WORK_QUEUE_STATUSES = ['READY', 'NOT_READY', 'PAUSED'] as const;

export const workQueueCreateSchema = z.strictObject({
  name: nameSchema,
  description: z.string().max(10_000).nullable().default(''),
  is_paused: z.boolean().default(false),
  concurrency_limit: concurrencyLimit.optional(),
  priority: z.number().int('must be an integer').min(1, 'must be at least 1').nullable().optional(),
});
export type WorkQueueCreate = z.output<typeof workQueueCreateSchema>;

export const workQueueUpdateSchema = z.strictObject({
  name: nameSchema.optional(),
  description: z.string().max(10_000).nullable().optional(),
  is_paused: z.boolean().optional(),
  concurrency_limit: concurrencyLimit.optional(),
  priority: z.number().int('must be an integer').min(1, 'must be at least 1').optional(),
  last_polled: z.string().nullable().optional(),
});
export type WorkQueueUpdate = z.output<typeof workQueueUpdateSchema>;

export const workQueueSchema = z.object({
  ...objectFields,
  name: z.string(),
  description: z.string().nullable(),
  is_paused: z.boolean(),
  concurrency_limit: z.number().nullable(),
  priority: z.number(),
  work_pool_id: z.string(),
  work_pool_name: z.string(),
  last_polled: z.string().nullable(),
  status: z.enum(WORK_QUEUE_STATUSES),
  filter: z.null(),
  active_slots: z.number(),
});
export type WorkQueue = z.output<typeof workQueueSchema>;

export const workerHeartbeatSchema = z.strictObject({
  name: z
    .string()
    .min(1, 'must not be empty')
    .max(255, 'must be at most 255 characters')
    .regex(/^[^/%]+$/, 'must not contain / or %'),
  heartbeat_interval_seconds: z.number().int().min(1).max(86_400).nullable().optional(),
  // Sent by Prefect clients; accepted and ignored.
  return_id: z.boolean().optional(),
  metadata: z.unknown().optional(),
});
export type WorkerHeartbeat = z.output<typeof workerHeartbeatSchema>;

export const workerSchema = z.object({
  ...objectFields,
  name: z.string(),
  work_pool_id: z.string(),
  last_heartbeat_time: z.string().nullable(),
  heartbeat_interval_seconds: z.number().nullable(),
  status: z.enum(['ONLINE', 'OFFLINE']),
});
export type Worker = z.output<typeof workerSchema>;

export const workQueueStatusDetailSchema = z.object({
  healthy: z.boolean(),
  late_runs_count: z.number(),
  last_polled: z.string().nullable(),
  health_check_policy: z.object({ maximum_late_runs: z.number(), maximum_seconds_since_last_polled: z.number() }),
});
export type WorkQueueStatusDetail = z.output<typeof workQueueStatusDetailSchema>;
