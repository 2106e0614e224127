import { normalizeProposal } from '../../domain/orchestration/flowPolicy.js';
import type { CatchupPolicy } from '../../domain/schedules/schema.js';
import type { StateCreate } from '../../domain/schemas/states.js';
import { STATE_NAMES } from '../../domain/states.js';
import type { Clock } from '../../domain/time.js';
import type { DueRunChange, DueRunSweepOptions } from '../store.js';
import type { Db } from './db.js';
import { scheduleActiveCount, UNSTARTED_RUNS_OF_SCHEDULE } from './scheduleActive.js';
import { transition, type TransitionOutcome } from './transition.js';

interface DueRun {
  id: string;
  slot: number;
  schedule_id: string | null;
  /** Null for a run without a (still existing) schedule: manual runs, runs of deleted schedules. */
  catchup: CatchupPolicy | null;
  slug: string | null;
  max_active_runs: number | null;
  schedule_active: number;
  concurrency_limit: number | null;
  deployment_held: number;
}

/**
 * Runs still waiting under the plain "Scheduled" name and due by `now`. The index holds exactly
 * those, in time order; named, since without statistics the planner would pick the state-name
 * index and read every upcoming run.
 */
export const DUE_RUNS = `
  SELECT r.id, r.next_scheduled_start_time AS slot, r.schedule_id, s.catchup, s.slug, s.max_active_runs,
    CASE WHEN s.max_active_runs IS NULL THEN 0 ELSE ${scheduleActiveCount('s.id')} END AS schedule_active,
    d.concurrency_limit,
    CASE WHEN d.concurrency_limit IS NULL THEN 0
      ELSE (SELECT count(*) FROM flow_run x WHERE x.deployment_id = d.id AND x.holds_slot = 1) END AS deployment_held
  FROM flow_run r INDEXED BY ix_flow_run_due_scheduled
  LEFT JOIN deployment_schedule s ON s.id = r.schedule_id
  LEFT JOIN deployment d ON d.id = r.deployment_id
  WHERE r.state_type = 'SCHEDULED' AND r.state_name = 'Scheduled' AND r.next_scheduled_start_time <= ?
    AND r.claim_token IS NULL
  ORDER BY r.next_scheduled_start_time, r.id
  LIMIT ?`;

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10}s`;

/**
 * The late-runs sweep, which also applies each schedule's catch-up policy to the runs nobody
 * started (no worker up, limits full):
 * - `latest`: once a newer run of the schedule is due, the older waiting ones that are late are
 *   cancelled, so only the most recent missed run is left to start when a worker comes back;
 * - `none`: a run not started within the late threshold is cancelled (the slot is skipped);
 * - `all` (and runs without a schedule): nothing is dropped.
 * A run that stays becomes Late, or AwaitingConcurrencySlot when its schedule's max_active_runs
 * or its deployment's concurrency limit holds it back (that is not lateness, and the name says
 * why it waits). Both keep the scheduled time and stay claimable.
 */
export class DueRunSweeps {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly notify: (outcome: TransitionOutcome) => void,
  ) {}

  sweep(options: DueRunSweepOptions): DueRunChange[] {
    const now = this.clock.now();
    const due = this.db.prepare(DUE_RUNS).all(now, options.limit) as DueRun[];
    const changes: DueRunChange[] = [];
    const gone = new Set<string>();
    // Newest first: a schedule's newest due run cancels its older ones before they would be marked Late.
    for (const run of due.reverse()) {
      if (gone.has(run.id)) continue;
      if (run.catchup === 'latest' && run.schedule_id) {
        for (const c of this.supersede(run, now - options.lateAfterMs)) {
          gone.add(c.flowRunId);
          changes.push(c);
        }
      }
      if (run.slot > now - options.lateAfterMs) continue;
      const change = this.settle(run, now, options.lateAfterMs);
      if (change) changes.push(change);
    }
    return changes;
  }

  /**
   * Cancels the schedule's runs older than `run` that still wait and are late (due at or before
   * `lateSince`); runs merely a little behind (a busy worker) are left to start in order.
   */
  private supersede(run: DueRun, lateSince: number): DueRunChange[] {
    const older = this.db
      .prepare(`SELECT id FROM flow_run WHERE ${UNSTARTED_RUNS_OF_SCHEDULE} AND next_scheduled_start_time < ? ORDER BY next_scheduled_start_time LIMIT 500`)
      .pluck()
      .all(run.schedule_id, Math.min(run.slot, lateSince + 1)) as string[];
    const message = `Skipped by the schedule's catch-up policy 'latest': a newer run of it (scheduled for ${new Date(run.slot).toISOString()}) is due.`;
    return older.flatMap((id) => this.apply(id, run.schedule_id, { type: 'CANCELLED', message, state_details: {} } as StateCreate, this.clock.now()) ?? []);
  }

  private settle(run: DueRun, now: number, lateAfterMs: number): DueRunChange | null {
    const scheduledTime = { scheduled_time: run.slot };
    if (run.catchup === 'none') {
      const message = `Skipped by the schedule's catch-up policy 'none': not started within ${seconds(lateAfterMs)} of its scheduled time.`;
      return this.apply(run.id, run.schedule_id, { type: 'CANCELLED', message, state_details: {} } as StateCreate, now);
    }
    const held = this.heldBy(run);
    if (held) {
      const state = { type: 'SCHEDULED', name: STATE_NAMES.awaitingConcurrencySlot, message: held, state_details: scheduledTime } as StateCreate;
      return this.apply(run.id, run.schedule_id, state, now);
    }
    const message = `Not started within ${seconds(lateAfterMs)} of its scheduled time.`;
    return this.apply(run.id, run.schedule_id, { type: 'SCHEDULED', name: STATE_NAMES.late, message, state_details: scheduledTime } as StateCreate, now);
  }

  /** Why a concurrency limit holds the run back, or null. */
  private heldBy(run: DueRun): string | null {
    if (run.max_active_runs !== null && run.schedule_active >= run.max_active_runs) {
      const name = run.slug ? `'${run.slug}' ` : '';
      return `Waiting: schedule ${name}has ${run.schedule_active} active run(s), its max_active_runs is ${run.max_active_runs}.`;
    }
    if (run.concurrency_limit !== null && run.deployment_held >= run.concurrency_limit) {
      return `Waiting: the deployment's concurrency limit (${run.concurrency_limit}) is reached.`;
    }
    return null;
  }

  /** One transition in its own short transaction, only while the run still waits unclaimed. */
  private apply(id: string, scheduleId: string | null, state: StateCreate, now: number): DueRunChange | null {
    const outcome = this.db
      .transaction(() => {
        const current = this.db.prepare('SELECT state_type, claim_token FROM flow_run WHERE id = ?').get(id) as { state_type: string; claim_token: string | null } | undefined;
        if (!current || current.state_type !== 'SCHEDULED' || current.claim_token !== null) return null;
        return transition(this.db, now, id, normalizeProposal(state, now), { force: false });
      })
      .immediate();
    if (!outcome?.written) return null;
    this.notify(outcome);
    return { flowRunId: id, scheduleId, to: outcome.run.state_name ?? '', message: outcome.state?.message ?? null };
  }
}
