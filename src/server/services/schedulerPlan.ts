import { nextFireTime, nextFireTimes } from '../../domain/schedules/nextFireTimes.js';
import type { CatchupPolicy, ScheduleInput } from '../../domain/schedules/schema.js';
import type { SchedulePlanWrite } from '../../store/store.js';

/** How far ahead each schedule is kept supplied with runs (Prefect's scheduler settings), and catch-up bounds. */
export interface SchedulerLimits {
  minRuns: number;
  maxRuns: number;
  minTimeMs: number;
  maxTimeMs: number;
  /** Missed slots older than this are never made up, whatever the policy. */
  catchupWindowMs: number;
}

/**
 * A schedule's own `max_scheduled_runs` lowers how many upcoming runs it keeps (never raises it
 * past the scheduler's maximum). Prefect stores this field but its scheduler ignores it.
 */
export function withScheduleLimit(limits: SchedulerLimits, maxScheduledRuns: number | null): SchedulerLimits {
  if (maxScheduledRuns === null) return limits;
  const maxRuns = Math.min(limits.maxRuns, maxScheduledRuns);
  return { ...limits, maxRuns, minRuns: Math.min(limits.minRuns, maxRuns) };
}

export interface PlanInput {
  schedule: ScheduleInput;
  catchup: CatchupPolicy;
  /** The next slot that has no run; null to plan from now (a new or changed schedule). */
  cursor: number | null;
  now: number;
}

export interface Plan extends SchedulePlanWrite {
  /** Slots missed while the server was down (from the cursor to now), and how many of them are made up. */
  missed: { found: number; kept: number };
}

/** At most this many slots are enumerated in one go when looking for missed ones. */
const SCAN_LIMIT = 10_000;

/**
 * The last `k` slots in [from, to). Missed slots are only ever wanted from the end, so when there
 * are too many to list (a short interval down for days) the start moves halfway up and it tries again.
 */
export function lastSlotsBefore(schedule: ScheduleInput, from: number, to: number, k: number): { slots: number[]; found: number } {
  let start = from;
  let skipped = 0;
  for (;;) {
    const slots = nextFireTimes(schedule, { after: start - 1, until: to - 1, count: SCAN_LIMIT });
    if (slots.length < SCAN_LIMIT || to - start < 2) return { slots: slots.slice(-k), found: skipped + slots.length };
    const mid = start + Math.floor((to - start) / 2);
    skipped += slots.filter((s) => s < mid).length;
    start = mid;
  }
}

/**
 * What one scheduler pass does for a schedule. Pure: the caller passes the time.
 *
 * Upcoming runs: from now, slots are planned until there are at least `minRuns` of them and the
 * last is at least `minTimeMs` ahead, but never more than `maxRuns` or beyond `maxTimeMs`
 * (Prefect's rule). Slots before the cursor already have their runs, so only the ones after it are
 * created. Missed slots (from the cursor to now: the server was down) follow the catch-up policy:
 * `all` makes up every one (the latest `maxRuns`), `latest` only the most recent, `none` none.
 *
 * `refillAt` is the first moment a pass would create something: when fewer than `minRuns` runs
 * are left ahead, or the last one comes within `minTimeMs`, and there is room under `maxRuns` and
 * `maxTimeMs` for the next slot. Until then the schedule costs nothing.
 */
export function planSchedule(input: PlanInput, limits: SchedulerLimits): Plan {
  const { schedule, catchup, cursor, now } = input;
  const { minRuns, maxRuns, minTimeMs, maxTimeMs } = limits;

  let missed: number[] = [];
  let found = 0;
  if (cursor !== null && cursor < now) {
    const lower = Math.max(cursor, now - limits.catchupWindowMs);
    if (lower < now) {
      const last = lastSlotsBefore(schedule, lower, now, catchup === 'all' ? maxRuns : 1);
      found = last.found;
      missed = catchup === 'none' ? [] : last.slots;
    }
  }

  // One more than maxRuns: the first slot not planned is the next cursor.
  const ahead = nextFireTimes(schedule, { after: now - 1, until: now + maxTimeMs, count: maxRuns + 1 });
  let n = 0;
  while (n < ahead.length && n < maxRuns) {
    n++;
    if (n >= minRuns && (ahead[n - 1] as number) >= now + minTimeMs) break;
  }
  const planned = ahead.slice(0, n);
  const from = cursor ?? now;
  const upcoming = planned.filter((slot) => slot >= from);

  let next: number | null = ahead[n] ?? nextFireTime(schedule, Math.max(now + maxTimeMs, planned.at(-1) ?? now - 1));
  // Runs already exist up to an old cursor beyond the plan (the limits were lowered meanwhile).
  if (next !== null && cursor !== null && cursor > next) next = cursor;

  return { slots: [...missed, ...upcoming], cursor: next, refillAt: next === null ? null : refillTime(planned, next, now, limits), missed: { found, kept: missed.length } };
}

function refillTime(planned: number[], next: number, now: number, limits: SchedulerLimits): number {
  const { minRuns, maxRuns, minTimeMs, maxTimeMs } = limits;
  const len = planned.length;
  // Runs "ahead" at time t are those at or after t; each condition is the first t where it holds.
  const tooFew = len >= minRuns ? (planned[len - minRuns] as number) + 1 : now;
  const tooNear = len > 0 ? (planned[len - 1] as number) - minTimeMs + 1 : now;
  const roomForMore = len >= maxRuns ? (planned[len - maxRuns] as number) + 1 : now;
  const inReach = next - maxTimeMs;
  return Math.max(Math.min(tooFew, tooNear), roomForMore, inReach, now + 1);
}
