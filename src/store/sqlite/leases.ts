import type { Clock } from '../../domain/time.js';
import { normalizeProposal } from '../../domain/orchestration/flowPolicy.js';
import type { StateCreate } from '../../domain/schemas/states.js';
import { HOLDS_INFRASTRUCTURE } from './activeRuns.js';
import type { Db } from './db.js';
import { transition, type TransitionOutcome } from './transition.js';

export interface ReapedRun {
  flowRunId: string;
  from: string;
  to: string;
}

/**
 * A run a worker holds a lease on is one that holds infrastructure (HOLDS_INFRASTRUCTURE). Its
 * text is also the WHERE of the partial index ix_flow_run_leased (migration 0003): SQLite uses a
 * partial index only for a query that repeats its condition, and with it these queries touch only
 * the runs in flight, never the history. INDEXED BY keeps that plan whatever the planner's
 * statistics say (on a young database it would rather OR two state indexes together, which walks
 * every Scheduled run).
 */
const LEASED = HOLDS_INFRASTRUCTURE;

/** The leased runs of workers that missed 3 heartbeats. */
export const REAP_SQL = `SELECT r.id, r.state_type, r.state_name, w.name AS worker, w.heartbeat_interval_seconds AS interval
  FROM flow_run r INDEXED BY ix_flow_run_leased JOIN worker w ON w.id = r.worker_id
  WHERE ${LEASED} AND w.last_heartbeat_time < ? - coalesce(w.heartbeat_interval_seconds, 30) * 3000`;

/** The earliest moment a worker that holds runs loses its lease. */
export const NEXT_EXPIRY_SQL = `SELECT min(w.last_heartbeat_time + coalesce(w.heartbeat_interval_seconds, 30) * 3000) FROM worker w
  WHERE EXISTS (SELECT 1 FROM flow_run r INDEXED BY ix_flow_run_leased WHERE r.worker_id = w.id AND ${LEASED})`;

/**
 * Claims are leases held by the worker's heartbeats. These sweeps end the runs whose lease has
 * lapsed and the cancellations that never finished, so no run stays PENDING or RUNNING forever
 * and no slot is held by a dead worker.
 */
export class LeaseSweeps {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly notify: (outcome: TransitionOutcome) => void,
  ) {}

  private apply(runId: string, state: StateCreate, force: boolean, now: number): TransitionOutcome | null {
    try {
      return this.db.transaction(() => transition(this.db, now, runId, normalizeProposal(state, now), { force, retryType: 'reschedule', releaseClaim: true })).immediate();
    } catch {
      return null; // deleted meanwhile
    }
  }

  /**
   * Runs held by workers that missed 3 heartbeats: RUNNING and PENDING runs crash (and are retried
   * by any worker when the flow has retries left), a cancellation in progress completes as
   * CANCELLED, and a run waiting for an in-process retry goes back to the queue.
   */
  reapExpired(): ReapedRun[] {
    const now = this.clock.now();
    const rows = this.db
      .prepare(REAP_SQL)
      .all(now) as { id: string; state_type: string; state_name: string; worker: string; interval: number | null }[];
    const reaped: ReapedRun[] = [];
    for (const row of rows) {
      const lost = `Worker '${row.worker}' stopped heartbeating (no heartbeat for ${3 * (row.interval ?? 30)}s)`;
      let outcome: TransitionOutcome | null;
      if (row.state_type === 'CANCELLING') {
        outcome = this.apply(row.id, { type: 'CANCELLED', message: `${lost}; the cancellation is complete.`, state_details: {} }, true, now);
      } else if (row.state_type === 'SCHEDULED') {
        outcome = this.apply(row.id, { type: 'SCHEDULED', name: 'AwaitingRetry', message: `${lost}; the retry goes back to the queue.`, state_details: {} }, true, now);
      } else {
        outcome = this.apply(row.id, { type: 'CRASHED', message: `${lost} while the run was ${row.state_name}.`, state_details: {} }, false, now);
      }
      if (outcome?.written) {
        this.notify(outcome);
        reaped.push({ flowRunId: row.id, from: row.state_type, to: outcome.run.state_name ?? '' });
      }
    }
    return reaped;
  }

  /** The earliest moment a worker that holds runs loses its lease. */
  nextExpiry(): number | null {
    return this.db
      .prepare(NEXT_EXPIRY_SQL)
      .pluck()
      .get() as number | null;
  }

  /** CANCELLING runs past the deadline are forced to CANCELLED, freeing their slots. */
  timeoutCancelling(timeoutMs: number): ReapedRun[] {
    const now = this.clock.now();
    const ids = this.db
      .prepare("SELECT id FROM flow_run WHERE state_type = 'CANCELLING' AND state_timestamp <= ?")
      .pluck()
      .all(now - timeoutMs) as string[];
    const reaped: ReapedRun[] = [];
    for (const id of ids) {
      const outcome = this.apply(
        id,
        { type: 'CANCELLED', message: `Flow run cancellation timed out after ${Math.round(timeoutMs / 1000)}s; marked this flow run as Cancelled.`, state_details: {} },
        true,
        now,
      );
      if (outcome?.written) {
        this.notify(outcome);
        reaped.push({ flowRunId: id, from: 'CANCELLING', to: 'Cancelled' });
      }
    }
    return reaped;
  }
}
