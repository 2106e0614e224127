import { z } from 'zod';
import { deploymentScheduleCreateSchema, deploymentScheduleSchema } from '../schedules/schema.js';
import { jsonObjectSchema, labelsSchema, MAX_NAME_LENGTH, nameSchema, objectFields, tagsSchema, uuidSchema } from './common.js';

export const COLLISION_STRATEGIES = ['ENQUEUE', 'CANCEL_NEW'] as const;
export type CollisionStrategy = (typeof COLLISION_STRATEGIES)[number];

export const concurrencyOptionsSchema = z.strictObject({
  collision_strategy: z.enum(COLLISION_STRATEGIES).default('ENQUEUE'),
  grace_period_seconds: z.number().int().min(60).max(86_400).nullable().optional(),
});

const pullStepSchema = z.record(z.string(), z.unknown()).refine((step) => Object.keys(step).length === 1, {
  message: 'each pull step is an object with exactly one key, the step name (e.g. {"baton.deployments.steps.git_clone": {...}})',
});

/** Fields Prefect clients still send that baton accepts and ignores. */
const legacyFields = {
  storage_document_id: z.string().nullable().optional(),
  infrastructure_document_id: z.string().nullable().optional(),
  manifest_path: z.string().nullable().optional(),
  infra_overrides: jsonObjectSchema.nullable().optional(),
  worker_pool_name: z.string().nullable().optional(),
  worker_pool_queue_name: z.string().nullable().optional(),
  work_pool_queue_name: z.string().nullable().optional(),
  is_schedule_active: z.boolean().nullable().optional(),
  schedule: z.unknown().optional(),
  global_concurrency_limit_id: z.null().optional(),
};

/**
 * The deployment fields a create or update may set. Fields left out keep their stored value on a
 * redeploy (paused, enforce_parameter_schema, schedules): deploying again must never undo what an
 * operator changed (user-needs A11).
 */
const deploymentFields = {
  version: z.string().max(MAX_NAME_LENGTH).nullable().optional(),
  description: z.string().max(100_000).nullable().optional(),
  paused: z.boolean().optional(),
  schedules: z.array(deploymentScheduleCreateSchema).max(100).optional(),
  concurrency_limit: z.number().int().min(1, 'must be at least 1 (or null for no limit)').nullable().optional(),
  concurrency_options: concurrencyOptionsSchema.nullable().optional(),
  enforce_parameter_schema: z.boolean().optional(),
  parameter_openapi_schema: jsonObjectSchema.nullable().optional(),
  parameters: jsonObjectSchema.optional(),
  tags: tagsSchema.optional(),
  labels: labelsSchema.optional(),
  pull_steps: z.array(pullStepSchema).max(50).nullable().optional(),
  work_queue_name: nameSchema.nullable().optional(),
  work_pool_name: z.string().min(1).max(MAX_NAME_LENGTH).nullable().optional(),
  path: z.string().max(4096).nullable().optional(),
  entrypoint: z.string().min(1).max(4096).nullable().optional(),
  job_variables: jsonObjectSchema.optional(),
  version_info: z.object({ type: z.string(), version: z.string() }).nullable().optional(),
  ...legacyFields,
};

export const deploymentCreateSchema = z.strictObject({
  name: nameSchema,
  flow_id: uuidSchema,
  ...deploymentFields,
});
export type DeploymentCreate = z.output<typeof deploymentCreateSchema>;

export const deploymentUpdateSchema = z.strictObject(deploymentFields);
export type DeploymentUpdate = z.output<typeof deploymentUpdateSchema>;

export const deploymentSchema = z.object({
  ...objectFields,
  name: z.string(),
  version: z.string().nullable(),
  description: z.string().nullable(),
  flow_id: z.string(),
  paused: z.boolean(),
  schedules: z.array(deploymentScheduleSchema),
  tags: z.array(z.string()),
  labels: z.record(z.string(), z.unknown()),
  concurrency_limit: z.number().nullable(),
  global_concurrency_limit: z
    .object({ id: z.string(), name: z.string(), limit: z.number(), active: z.boolean(), active_slots: z.number(), slot_decay_per_second: z.number() })
    .nullable(),
  concurrency_options: z.object({ collision_strategy: z.enum(COLLISION_STRATEGIES), grace_period_seconds: z.number().nullable().optional() }).nullable(),
  job_variables: z.record(z.string(), z.unknown()),
  parameters: z.record(z.string(), z.unknown()),
  parameter_openapi_schema: z.record(z.string(), z.unknown()).nullable(),
  enforce_parameter_schema: z.boolean(),
  path: z.string().nullable(),
  pull_steps: z.array(z.record(z.string(), z.unknown())).nullable(),
  entrypoint: z.string().nullable(),
  storage_document_id: z.null(),
  infrastructure_document_id: z.null(),
  work_queue_name: z.string().nullable(),
  work_queue_id: z.string().nullable(),
  work_pool_name: z.string().nullable(),
  last_polled: z.string().nullable(),
  status: z.enum(['READY', 'NOT_READY']),
  created_by: z.record(z.string(), z.unknown()).nullable(),
  updated_by: z.record(z.string(), z.unknown()).nullable(),
  version_info: z.record(z.string(), z.unknown()).nullable(),
  // baton (additive): the flow's name, so `flow/deployment` needs no second request.
  flow_name: z.string(),
});
export type Deployment = z.output<typeof deploymentSchema>;
