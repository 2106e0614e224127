import type { Statement } from 'better-sqlite3';

/** Rows changed per statement by inBatches: a few milliseconds of work each. */
export const BATCH_ROWS = 500;

/**
 * Runs `statement` (one that changes at most BATCH_ROWS rows, e.g. `… WHERE id IN (SELECT id …
 * LIMIT 500)`) until it changes fewer, each run its own transaction with the event loop free in
 * between. Deleting a flow with a long history would otherwise hold the one connection for
 * seconds (819 ms for 10,000 runs here, bench/deleteStall.ts), stalling claims and heartbeats.
 */
export async function inBatches(statement: Statement, ...params: unknown[]): Promise<number> {
  let total = 0;
  for (;;) {
    const changed = statement.run(...params).changes;
    total += changed;
    if (changed < BATCH_ROWS) return total;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
