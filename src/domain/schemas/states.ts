import { z } from 'zod';
import { RETRY_TYPES, STATE_TYPES } from '../states.js';
import { dateTimeSchema, uuidSchema } from './common.js';

/** `state_details` as clients send it: known fields typed, others kept (Prefect adds fields over time). */
export const stateDetailsCreateSchema = z
  .looseObject({
    flow_run_id: uuidSchema.nullable().optional(),
    task_run_id: uuidSchema.nullable().optional(),
    child_flow_run_id: uuidSchema.nullable().optional(),
    scheduled_time: dateTimeSchema.nullable().optional(),
    cache_key: z.string().nullable().optional(),
    cache_expiration: dateTimeSchema.nullable().optional(),
    deferred: z.boolean().nullable().optional(),
    untrackable_result: z.boolean().optional(),
    pause_timeout: dateTimeSchema.nullable().optional(),
    pause_reschedule: z.boolean().optional(),
    pause_key: z.string().nullable().optional(),
    run_input_keyset: z.record(z.string(), z.string()).nullable().optional(),
    refresh_cache: z.boolean().nullable().optional(),
    retriable: z.boolean().nullable().optional(),
    transition_id: z.string().nullable().optional(),
    task_parameters_id: z.string().nullable().optional(),
    traceparent: z.string().nullable().optional(),
    deployment_concurrency_lease_id: z.string().nullable().optional(),
  })
  .default({});

/** A state a client proposes (Prefect's StateCreate). The name defaults to the type in Title Case. */
export const stateCreateSchema = z.strictObject({
  type: z.enum(STATE_TYPES),
  name: z.string().min(1).max(255).nullable().optional(),
  message: z.string().max(100_000).nullable().optional(),
  data: z.unknown().optional(),
  state_details: stateDetailsCreateSchema,
  // Sent by some Prefect clients; accepted and ignored.
  timestamp: z.string().nullable().optional(),
  id: z.string().nullable().optional(),
});
export type StateCreate = z.output<typeof stateCreateSchema>;
export type StateCreateInput = z.input<typeof stateCreateSchema>;

export const setStateBodySchema = z.strictObject({
  state: stateCreateSchema,
  force: z.boolean().default(false),
  /**
   * baton: the claim token the worker received with the run. When given, a report for a run
   * whose claim has since moved (crashed, re-claimed) is refused with 409 instead of applied.
   */
  claim_token: z.string().nullable().optional(),
  /**
   * baton: how a failure that still has retries left is retried. `in_process` (Prefect's default)
   * means the engine process retries itself; `reschedule` hands the run back to any worker, which
   * is what a worker reporting for a process that has already exited wants.
   */
  retry_type: z.enum(RETRY_TYPES).optional(),
});
export type SetStateBody = z.output<typeof setStateBodySchema>;

export const stateDetailsSchema = z.record(z.string(), z.unknown());

export const stateSchema = z.object({
  id: z.string(),
  type: z.enum(STATE_TYPES),
  name: z.string(),
  timestamp: z.string(),
  message: z.string().nullable(),
  data: z.unknown().nullable(),
  state_details: stateDetailsSchema,
});
export type State = z.output<typeof stateSchema>;

export const orchestrationResultSchema = z.object({
  status: z.enum(['ACCEPT', 'REJECT', 'ABORT', 'WAIT']),
  state: stateSchema.nullable(),
  details: z.object({
    type: z.enum(['accept_details', 'reject_details', 'abort_details', 'wait_details']),
    reason: z.string().nullable().optional(),
    delay_seconds: z.number().optional(),
  }),
});
export type OrchestrationResult = z.output<typeof orchestrationResultSchema>;

export const empiricalPolicySchema = z
  .looseObject({
    retries: z.number().int().min(0).nullable().optional(),
    retry_delay: z.number().min(0).nullable().optional(),
    pause_keys: z.array(z.string()).optional(),
    resuming: z.boolean().optional(),
    retry_type: z.enum(RETRY_TYPES).nullable().optional(),
    max_retries: z.number().optional(),
    retry_delay_seconds: z.number().optional(),
  })
  .default({});
export type EmpiricalPolicy = z.output<typeof empiricalPolicySchema>;

