import type { OrchestrationResult, RunAssignment, WorkerMessage } from './protocol.js';

/**
 * What the worker sends, checked at the boundary. Hand-written rather than zod: the engine is
 * loaded in every flow-run process, and a flow without parameters should not pay for zod.
 */
class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}

type Check = (value: unknown, path: string) => void;

function fail(path: string, expected: string, value: unknown): never {
  throw new ProtocolError(`${path}: expected ${expected}, got ${JSON.stringify(value)?.slice(0, 80) ?? String(value)}`);
}

const string: Check = (v, p) => void (typeof v === 'string' || fail(p, 'a string', v));
const nullableString: Check = (v, p) => void (v === null || typeof v === 'string' || fail(p, 'a string or null', v));
const number: Check = (v, p) => void ((typeof v === 'number' && Number.isFinite(v)) || fail(p, 'a number', v));
const nullableNumber: Check = (v, p) => (v === null ? undefined : number(v, p));

function record(v: unknown, p: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(p, 'an object', v);
  return v as Record<string, unknown>;
}

function fields(v: unknown, p: string, checks: Record<string, Check>): Record<string, unknown> {
  const o = record(v, p);
  for (const [key, check] of Object.entries(checks)) check(o[key], `${p}.${key}`);
  return o;
}

function checkAssignment(v: unknown, p: string): RunAssignment {
  const o = fields(v, p, {
    flowRunId: string,
    flowRunName: string,
    flowName: string,
    deploymentId: nullableString,
    deploymentName: nullableString,
    entrypoint: string,
    scheduledTime: nullableNumber,
    attempt: (a, ap) => void ((Number.isInteger(a) && (a as number) >= 1) || fail(ap, 'a whole number ≥ 1', a)),
  });
  record(o.parameters, `${p}.parameters`);
  fields(o.workingDir, `${p}.workingDir`, { jobVariable: nullableString, pullSteps: nullableString, deploymentPath: nullableString });
  for (const [k, value] of Object.entries(record(o.env, `${p}.env`))) string(value, `${p}.env.${k}`);
  return o as unknown as RunAssignment;
}

function checkResult(v: unknown, p: string): OrchestrationResult | null {
  if (v === null) return null;
  const o = record(v, p);
  if (!['ACCEPT', 'REJECT', 'ABORT', 'WAIT'].includes(o.status as string)) fail(`${p}.status`, 'ACCEPT, REJECT, ABORT or WAIT', o.status);
  if (o.state !== null) {
    const s = fields(o.state, `${p}.state`, { id: string, type: string, name: string, timestamp: string, message: nullableString });
    record(s.state_details, `${p}.state.state_details`);
  }
  fields(o.details, `${p}.details`, { type: string });
  return o as unknown as OrchestrationResult;
}

/** Parses one IPC message from the worker; throws a ProtocolError naming what breaks the protocol. */
export function parseWorkerMessage(raw: unknown): WorkerMessage {
  const m = record(raw, 'message');
  if (m.type === 'start') return { type: 'start', run: checkAssignment(m.run, 'message.run') };
  if (m.type === 'state_result') {
    number(m.requestId, 'message.requestId');
    if (m.error !== undefined) string(m.error, 'message.error');
    return {
      type: 'state_result',
      requestId: m.requestId as number,
      result: checkResult(m.result, 'message.result'),
      ...(typeof m.error === 'string' ? { error: m.error } : {}),
    };
  }
  return fail('message.type', "'start' or 'state_result'", m.type);
}
