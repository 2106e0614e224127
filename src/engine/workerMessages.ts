import { z } from 'zod';
import type { WorkerMessage } from './protocol.js';

/** What the worker sends, checked at the boundary (DESIGN.md: zod at every boundary, IPC too). */
const runAssignmentSchema = z.object({
  flowRunId: z.string(),
  flowRunName: z.string(),
  flowName: z.string(),
  deploymentId: z.string().nullable(),
  deploymentName: z.string().nullable(),
  entrypoint: z.string(),
  parameters: z.record(z.string(), z.unknown()),
  workingDir: z.object({
    jobVariable: z.string().nullable(),
    pullSteps: z.string().nullable(),
    deploymentPath: z.string().nullable(),
  }),
  env: z.record(z.string(), z.string()),
  scheduledTime: z.number().nullable(),
  attempt: z.number().int().min(1),
});

const orchestrationResultSchema = z.object({
  status: z.enum(['ACCEPT', 'REJECT', 'ABORT', 'WAIT']),
  state: z
    .object({
      id: z.string(),
      type: z.string(),
      name: z.string(),
      timestamp: z.string(),
      message: z.string().nullable(),
      state_details: z.looseObject({ scheduled_time: z.string().nullable().optional() }),
    })
    .nullable(),
  details: z.looseObject({ type: z.string(), reason: z.string().optional(), delay_seconds: z.number().optional() }),
});

const workerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), run: runAssignmentSchema }),
  z.object({
    type: z.literal('state_result'),
    requestId: z.number(),
    result: orchestrationResultSchema.nullable(),
    error: z.string().optional(),
  }),
]);

/** Parses one IPC message from the worker; throws a ZodError when it breaks the protocol. */
export function parseWorkerMessage(raw: unknown): WorkerMessage {
  // zod's optional fields read `T | undefined`, which exactOptionalPropertyTypes keeps apart from
  // protocol.ts's `?: T`; the compile-time check below covers the direction that matters.
  return workerMessageSchema.parse(raw) as WorkerMessage;
}

// Everything protocol.ts allows the worker to send must parse; this fails to compile if they drift.
type Parsed = z.output<typeof workerMessageSchema>;
const _accepts: (m: WorkerMessage) => Parsed = (m) => m;
void _accepts;
