import { z } from 'zod';
import { STATE_TYPES } from '../states.js';
import { dateTimeSchema, pageFields, uuidSchema } from './common.js';

/**
 * Prefect's filter DSL (§1.1): composite filters with `operator: and_|or_` and leaf operators
 * (`any_`, `not_any_`, `all_`, `is_null_`, `like_`, `before_`, `after_`, …). Every body is strict:
 * an unknown key is a typo the caller wants to hear about, not a filter silently ignored.
 */
const operator = z.enum(['and_', 'or_']).default('and_');
const anyStrings = z.array(z.string()).max(1000);
const anyIds = z.array(uuidSchema).max(1000);
const timeRange = z.strictObject({ before_: dateTimeSchema.optional(), after_: dateTimeSchema.optional() });
const nullableTimeRange = timeRange.extend({ is_null_: z.boolean().optional() });
const idFilter = z.strictObject({ any_: anyIds.optional(), not_any_: anyIds.optional() });

export const flowFilterSchema = z.strictObject({
  operator,
  id: idFilter.optional(),
  deployment: z.strictObject({ is_null_: z.boolean().optional() }).optional(),
  name: z.strictObject({ any_: anyStrings.optional(), like_: z.string().optional() }).optional(),
  tags: z.strictObject({ all_: anyStrings.optional(), is_null_: z.boolean().optional() }).optional(),
});

export const flowRunFilterSchema = z.strictObject({
  operator,
  id: idFilter.optional(),
  name: z.strictObject({ any_: anyStrings.optional(), like_: z.string().optional() }).optional(),
  tags: z
    .strictObject({ all_: anyStrings.optional(), any_: anyStrings.optional(), is_null_: z.boolean().optional() })
    .optional(),
  deployment_id: z.strictObject({ any_: anyIds.optional(), is_null_: z.boolean().optional() }).optional(),
  work_queue_name: z.strictObject({ any_: anyStrings.optional(), is_null_: z.boolean().optional() }).optional(),
  state: z
    .strictObject({
      operator,
      type: z
        .strictObject({ any_: z.array(z.enum(STATE_TYPES)).optional(), not_any_: z.array(z.enum(STATE_TYPES)).optional() })
        .optional(),
      name: z.strictObject({ any_: anyStrings.optional(), not_any_: anyStrings.optional() }).optional(),
    })
    .optional(),
  flow_version: z.strictObject({ any_: anyStrings.optional() }).optional(),
  start_time: nullableTimeRange.optional(),
  end_time: nullableTimeRange.optional(),
  expected_start_time: timeRange.optional(),
  next_scheduled_start_time: timeRange.optional(),
  parent_flow_run_id: z.strictObject({ any_: anyIds.optional() }).optional(),
  parent_task_run_id: z.strictObject({ any_: anyIds.optional(), is_null_: z.boolean().optional() }).optional(),
  idempotency_key: z.strictObject({ any_: anyStrings.optional(), not_any_: anyStrings.optional() }).optional(),
  created_by: z
    .strictObject({ id_: anyIds.optional(), type_: anyStrings.optional(), is_null_: z.boolean().optional() })
    .optional(),
});

export const deploymentFilterSchema = z.strictObject({
  operator,
  id: idFilter.optional(),
  name: z.strictObject({ any_: anyStrings.optional(), like_: z.string().optional() }).optional(),
  flow_or_deployment_name: z.strictObject({ like_: z.string().optional() }).optional(),
  paused: z.strictObject({ eq_: z.boolean().optional() }).optional(),
  tags: z
    .strictObject({ all_: anyStrings.optional(), any_: anyStrings.optional(), is_null_: z.boolean().optional() })
    .optional(),
  work_queue_name: z.strictObject({ any_: anyStrings.optional() }).optional(),
  concurrency_limit: z
    .strictObject({ ge_: z.number().optional(), le_: z.number().optional(), is_null_: z.boolean().optional() })
    .optional(),
});

export const workPoolFilterSchema = z.strictObject({
  operator,
  id: z.strictObject({ any_: anyIds.optional() }).optional(),
  name: z.strictObject({ any_: anyStrings.optional() }).optional(),
  type: z.strictObject({ any_: anyStrings.optional() }).optional(),
});

export const workQueueFilterSchema = z.strictObject({
  operator,
  id: z.strictObject({ any_: anyIds.optional() }).optional(),
  name: z.strictObject({ any_: anyStrings.optional(), startswith_: anyStrings.optional() }).optional(),
});

export const WORKER_STATUSES = ['ONLINE', 'OFFLINE'] as const;
export const workerFilterSchema = z.strictObject({
  operator,
  last_heartbeat_time: timeRange.optional(),
  status: z
    .strictObject({ any_: z.array(z.enum(WORKER_STATUSES)).optional(), not_any_: z.array(z.enum(WORKER_STATUSES)).optional() })
    .optional(),
});

export const logFilterSchema = z.strictObject({
  operator,
  level: z.strictObject({ ge_: z.number().int().optional(), le_: z.number().int().optional() }).optional(),
  timestamp: timeRange.optional(),
  flow_run_id: z.strictObject({ any_: anyIds.optional() }).optional(),
  task_run_id: z.strictObject({ any_: anyIds.optional(), is_null_: z.boolean().optional() }).optional(),
  text: z.strictObject({ query: z.string().max(1000) }).optional(),
});

export const FLOW_RUN_SORTS = [
  'ID_DESC',
  'START_TIME_ASC',
  'START_TIME_DESC',
  'EXPECTED_START_TIME_ASC',
  'EXPECTED_START_TIME_DESC',
  'NAME_ASC',
  'NAME_DESC',
  'NEXT_SCHEDULED_START_TIME_ASC',
  'END_TIME_DESC',
] as const;
export const DEPLOYMENT_SORTS = ['CREATED_DESC', 'UPDATED_DESC', 'NAME_ASC', 'NAME_DESC'] as const;
export const LOG_SORTS = ['TIMESTAMP_ASC', 'TIMESTAMP_DESC'] as const;

/** The cross-object filters Prefect accepts on flow, run and deployment list endpoints. */
const crossFilters = {
  flows: flowFilterSchema.optional(),
  flow_runs: flowRunFilterSchema.optional(),
  task_runs: z.record(z.string(), z.unknown()).optional(),
  deployments: deploymentFilterSchema.optional(),
  work_pools: workPoolFilterSchema.optional(),
  work_pool_queues: workQueueFilterSchema.optional(),
};

export const flowRunFilterBodySchema = z.strictObject({
  ...crossFilters,
  sort: z.enum(FLOW_RUN_SORTS).default('ID_DESC'),
  ...pageFields,
});
export const flowRunCountBodySchema = z.strictObject({ ...crossFilters });
export const flowRunPaginateBodySchema = z.strictObject({
  ...crossFilters,
  sort: z.enum(FLOW_RUN_SORTS).default('ID_DESC'),
  limit: pageFields.limit,
  page: z.number().int().min(1, 'must be at least 1').default(1),
});

export const deploymentFilterBodySchema = z.strictObject({
  ...crossFilters,
  sort: z.enum(DEPLOYMENT_SORTS).default('NAME_ASC'),
  ...pageFields,
});
export const deploymentCountBodySchema = z.strictObject({ ...crossFilters });
export const deploymentPaginateBodySchema = z.strictObject({
  ...crossFilters,
  sort: z.enum(DEPLOYMENT_SORTS).default('NAME_ASC'),
  limit: pageFields.limit,
  page: z.number().int().min(1, 'must be at least 1').default(1),
});

export const flowFilterBodySchema = z.strictObject({
  ...crossFilters,
  sort: z.enum(DEPLOYMENT_SORTS).default('NAME_ASC'),
  ...pageFields,
});
export const flowCountBodySchema = z.strictObject({ ...crossFilters });
export const flowPaginateBodySchema = z.strictObject({
  ...crossFilters,
  sort: z.enum(DEPLOYMENT_SORTS).default('NAME_ASC'),
  limit: pageFields.limit,
  page: z.number().int().min(1, 'must be at least 1').default(1),
});

export const workPoolFilterBodySchema = z.strictObject({ work_pools: workPoolFilterSchema.optional(), ...pageFields });
export const workPoolCountBodySchema = z.strictObject({ work_pools: workPoolFilterSchema.optional() });
export const workQueueFilterBodySchema = z.strictObject({ work_queues: workQueueFilterSchema.optional(), ...pageFields });
export const workerFilterBodySchema = z.strictObject({ workers: workerFilterSchema.optional(), ...pageFields });
export const logFilterBodySchema = z.strictObject({
  logs: logFilterSchema.optional(),
  sort: z.enum(LOG_SORTS).default('TIMESTAMP_ASC'),
  limit: pageFields.limit,
  offset: pageFields.offset,
});

export type FlowFilter = z.output<typeof flowFilterSchema>;
export type FlowRunFilter = z.output<typeof flowRunFilterSchema>;
export type DeploymentFilter = z.output<typeof deploymentFilterSchema>;
export type WorkPoolFilter = z.output<typeof workPoolFilterSchema>;
export type WorkQueueFilter = z.output<typeof workQueueFilterSchema>;
export type WorkerFilter = z.output<typeof workerFilterSchema>;
export type LogFilter = z.output<typeof logFilterSchema>;
export type FlowRunSort = (typeof FLOW_RUN_SORTS)[number];
export type DeploymentSort = (typeof DEPLOYMENT_SORTS)[number];
export type LogSort = (typeof LOG_SORTS)[number];

/** The filters that narrow runs, deployments or flows through their related objects. */
export interface CrossFilters {
  flows?: FlowFilter | undefined;
  flow_runs?: FlowRunFilter | undefined;
  deployments?: DeploymentFilter | undefined;
  work_pools?: WorkPoolFilter | undefined;
  work_pool_queues?: WorkQueueFilter | undefined;
}

/** Filters as a client sends them (before defaults such as `operator` are applied). */
export type FlowFilterInput = z.input<typeof flowFilterSchema>;
export type FlowRunFilterInput = z.input<typeof flowRunFilterSchema>;
export type DeploymentFilterInput = z.input<typeof deploymentFilterSchema>;
export type WorkPoolFilterInput = z.input<typeof workPoolFilterSchema>;
export type WorkQueueFilterInput = z.input<typeof workQueueFilterSchema>;
export type WorkerFilterInput = z.input<typeof workerFilterSchema>;
export type LogFilterInput = z.input<typeof logFilterSchema>;
