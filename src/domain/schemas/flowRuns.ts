import { z } from 'zod';
import { STATE_TYPES } from '../states.js';
import { jsonObjectSchema, labelsSchema, nameSchema, objectFields, tagsSchema, uuidSchema } from './common.js';
import { empiricalPolicySchema, stateCreateSchema, stateSchema } from './states.js';

/** Prefect's PREFECT_SERVER_API_MAX_PARAMETER_SIZE: parameters larger than this as JSON are refused. */
export const MAX_PARAMETER_BYTES = 512 * 1024;

const parameters = jsonObjectSchema.default({});

/** `POST /api/flow_runs/`: an ad-hoc run (default state PENDING, as Prefect). */
export const flowRunCreateSchema = z.strictObject({
  state: stateCreateSchema.nullable().optional(),
  name: nameSchema.nullable().optional(),
  flow_id: uuidSchema,
  flow_version: z.string().max(255).nullable().optional(),
  parameters,
  context: jsonObjectSchema.default({}),
  parent_task_run_id: uuidSchema.nullable().optional(),
  infrastructure_document_id: z.string().nullable().optional(),
  empirical_policy: empiricalPolicySchema,
  tags: tagsSchema.default([]),
  labels: labelsSchema.default({}),
  idempotency_key: z.string().min(1).max(512).nullable().optional(),
  work_pool_name: z.string().min(1).nullable().optional(),
  work_queue_name: z.string().min(1).nullable().optional(),
  job_variables: jsonObjectSchema.nullable().optional(),
  deployment_id: uuidSchema.nullable().optional(),
});
export type FlowRunCreate = z.output<typeof flowRunCreateSchema>;

/** `POST /api/deployments/{id}/create_flow_run` (Prefect's DeploymentFlowRunCreate). */
export const deploymentFlowRunCreateSchema = z.strictObject({
  state: stateCreateSchema.nullable().optional(),
  name: nameSchema.nullable().optional(),
  parameters,
  enforce_parameter_schema: z.boolean().nullable().optional(),
  context: jsonObjectSchema.default({}),
  infrastructure_document_id: z.string().nullable().optional(),
  empirical_policy: empiricalPolicySchema,
  tags: tagsSchema.default([]),
  idempotency_key: z.string().min(1).max(512).nullable().optional(),
  labels: labelsSchema.nullable().optional(),
  parent_task_run_id: uuidSchema.nullable().optional(),
  work_queue_name: nameSchema.nullable().optional(),
  job_variables: jsonObjectSchema.default({}),
});
export type DeploymentFlowRunCreate = z.output<typeof deploymentFlowRunCreateSchema>;

export const flowRunUpdateSchema = z.strictObject({
  name: nameSchema.optional(),
  flow_version: z.string().max(255).nullable().optional(),
  parameters: jsonObjectSchema.optional(),
  empirical_policy: empiricalPolicySchema.optional(),
  tags: tagsSchema.optional(),
  infrastructure_pid: z.string().max(255).nullable().optional(),
  job_variables: jsonObjectSchema.nullable().optional(),
  labels: labelsSchema.optional(),
});
export type FlowRunUpdate = z.output<typeof flowRunUpdateSchema>;

export const flowRunSchema = z.object({
  ...objectFields,
  name: z.string(),
  flow_id: z.string(),
  state_id: z.string().nullable(),
  deployment_id: z.string().nullable(),
  deployment_version: z.string().nullable(),
  work_queue_id: z.string().nullable(),
  work_queue_name: z.string().nullable(),
  work_pool_id: z.string().nullable(),
  work_pool_name: z.string().nullable(),
  flow_version: z.string().nullable(),
  parameters: z.record(z.string(), z.unknown()),
  idempotency_key: z.string().nullable(),
  context: z.record(z.string(), z.unknown()),
  empirical_policy: z.record(z.string(), z.unknown()),
  tags: z.array(z.string()),
  labels: z.record(z.string(), z.unknown()),
  parent_task_run_id: z.string().nullable(),
  state_type: z.enum(STATE_TYPES).nullable(),
  state_name: z.string().nullable(),
  run_count: z.number(),
  expected_start_time: z.string().nullable(),
  next_scheduled_start_time: z.string().nullable(),
  start_time: z.string().nullable(),
  end_time: z.string().nullable(),
  total_run_time: z.number(),
  estimated_run_time: z.number(),
  estimated_start_time_delta: z.number(),
  auto_scheduled: z.boolean(),
  infrastructure_document_id: z.string().nullable(),
  infrastructure_pid: z.string().nullable(),
  created_by: z.record(z.string(), z.unknown()).nullable(),
  job_variables: z.record(z.string(), z.unknown()).nullable(),
  state: stateSchema.nullable(),
  // baton additions (additive): names for display, and the worker holding the run's claim.
  flow_name: z.string(),
  deployment_name: z.string().nullable(),
  worker_name: z.string().nullable(),
});
export type FlowRun = z.output<typeof flowRunSchema>;

export const flowRunPageSchema = z.object({
  results: z.array(flowRunSchema),
  count: z.number(),
  limit: z.number(),
  pages: z.number(),
  page: z.number(),
});
