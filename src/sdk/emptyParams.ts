import type { ParamsParser } from './parameters.js';

/**
 * The parameters of a flow declared without `params`: none. It behaves like `z.object({})` (an
 * object, unknown keys dropped) without loading zod, which a flow without parameters never needs.
 */
export const EMPTY_PARAMS: ParamsParser = Object.freeze({
  // Recognised by this mark, not by identity: a flow may come from another copy of baton.
  [Symbol.for('baton.emptyParams')]: true,
  safeParse(input: unknown) {
    if (typeof input === 'object' && input !== null && !Array.isArray(input)) return { success: true as const, data: {} };
    return {
      success: false as const,
      error: { issues: [{ code: 'invalid_type', expected: 'object', path: [], message: 'Invalid input: expected object' }] },
    };
  },
});

export function isEmptyParams(params: unknown): boolean {
  return typeof params === 'object' && params !== null && (params as Record<symbol, unknown>)[Symbol.for('baton.emptyParams')] === true;
}
