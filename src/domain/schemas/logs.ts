import { z } from 'zod';
import { dateTimeSchema, objectFields, uuidSchema } from './common.js';

/** Prefect's PREFECT_LOGGING_TO_API_MAX_LOG_SIZE. */
export const MAX_LOG_MESSAGE_BYTES = 1_000_000;

export const logCreateSchema = z.strictObject({
  name: z.string().min(1).max(255),
  level: z.number().int().min(0).max(100),
  message: z.string().max(MAX_LOG_MESSAGE_BYTES, `must be at most ${MAX_LOG_MESSAGE_BYTES} characters`),
  timestamp: dateTimeSchema,
  flow_run_id: uuidSchema.nullable().optional(),
  task_run_id: uuidSchema.nullable().optional(),
  // Sent by newer Prefect clients; accepted and ignored.
  worker_id: z.string().nullable().optional(),
});
export type LogCreate = z.output<typeof logCreateSchema>;

export const logBatchSchema = z.array(logCreateSchema).max(50_000, 'send at most 50,000 log lines per request');

export const logSchema = z.object({
  ...objectFields,
  name: z.string(),
  level: z.number(),
  message: z.string(),
  timestamp: z.string(),
  flow_run_id: z.string().nullable(),
  task_run_id: z.string().nullable(),
});
export type Log = z.output<typeof logSchema>;
