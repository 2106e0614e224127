import { inspect } from 'node:util';

/** Results up to this much JSON are kept as they are; anything bigger is summarised. */
export const MAX_RESULT_JSON_BYTES = 10 * 1024;
const PREVIEW_CHARS = 1000;
const MAX_DEPTH = 64;

export type ResultSummary = unknown;

/**
 * The `data` of a run's Completed state: the flow's return value when it is plain JSON and small,
 * otherwise `{ type, preview }`. Flows return anything (class instances, functions, BigInts,
 * cycles, huge arrays), and the run must still complete, so this never throws.
 */
export function summarizeResult(value: unknown): ResultSummary {
  try {
    if (value === undefined) return null;
    if (isJson(value, 0, new Set())) {
      const json = JSON.stringify(value);
      if (Buffer.byteLength(json) <= MAX_RESULT_JSON_BYTES) return value;
      return { type: jsonType(value), preview: truncate(json) };
    }
    return { type: typeName(value), preview: truncate(safeInspect(value)) };
  } catch {
    return { type: 'unknown', preview: '[a value baton could not describe]' };
  }
}

function isJson(value: unknown, depth: number, seen: Set<object>): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || depth > MAX_DEPTH || seen.has(value)) return false;
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.every((v) => isJson(v, depth + 1, seen));
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return false;
    // A property set to undefined is left out by JSON, as it would be by any API.
    return Object.values(value).every((v) => v === undefined || isJson(v, depth + 1, seen));
  } finally {
    seen.delete(value);
  }
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  return value === null ? 'null' : typeof value;
}

function typeName(value: unknown): string {
  if (typeof value === 'function') return 'function';
  if (typeof value !== 'object' || value === null) return typeof value;
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  return typeof name === 'string' && name ? name : 'object';
}

function safeInspect(value: unknown): string {
  try {
    return inspect(value, { depth: 2, breakLength: Infinity, maxArrayLength: 20, maxStringLength: PREVIEW_CHARS });
  } catch {
    return '[uninspectable]';
  }
}

function truncate(text: string): string {
  return text.length <= PREVIEW_CHARS ? text : `${text.slice(0, PREVIEW_CHARS)}…`;
}
