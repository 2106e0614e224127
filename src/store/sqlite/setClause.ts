import type { Param } from './where.js';

/**
 * `SET a = ?, b = ?` for the fields of a PATCH that were given (undefined means "leave as is";
 * null means "clear").
 */
export function setClause(fields: Record<string, Param | undefined>): { sql: string; params: Param[] } {
  const entries = Object.entries(fields).filter(([, v]) => v !== undefined) as [string, Param][];
  return { sql: entries.map(([column]) => `${column} = ?`).join(', '), params: entries.map(([, v]) => v) };
}
