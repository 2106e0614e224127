/**
 * When a schedule fires next. Pure: the caller passes "now" as `after`, so tests (and the
 * scheduler's injected clock) decide what time it is.
 *
 * Rules (see zonedTime.ts for the DST policy that maps local times to instants):
 * - Interval under 24 h: fixed steps in UTC, slots at anchor + k·interval for every integer k. As in
 *   Prefect, the anchor sets the phase, not a start: an anchor in the future still gives slots
 *   before it (anchor − interval, anchor − 2·interval, …).
 * - Interval of 24 h or more: the same slots counted in local wall-clock time of the schedule's zone,
 *   so a daily 09:00 stays 09:00 across DST; a whole number of days never skips or doubles a day.
 * - Cron and RRule: matched in local wall-clock time, then mapped with the DST policy.
 * - Local times that map to the same instant fire once (`*\/15` fires once at 03:00 on the night
 *   the clocks spring forward), and results are strictly increasing.
 * - No anchor: 2020-01-01T00:00:00 in the schedule's zone (…Z without one). A naive anchor_date
 *   (no Z or offset) is a local time in the schedule's zone.
 */
import { InvalidError } from '../errors.js';
import { cronCanFire, nextCronWall, parseCron } from './cron.js';
import { MAX_WALL, recurrenceHorizon, recurrenceWalls } from './rruleOccurrences.js';
import { parseRecurrence, type RecurrenceText } from './rruleText.js';
import type { ScheduleInput } from './schema.js';
import { instantToWall, parseDateTime, resolveWall, wallToInstant, type WallTimeKind } from './zonedTime.js';

/** Candidates looked at beyond `count` before giving up, as Prefect's MAX_ITERATIONS. */
export const MAX_EXTRA_CANDIDATES = 1000;

export const DEFAULT_ANCHOR_LOCAL = '2020-01-01T00:00:00';

const DAY = 86_400_000;
/** Cron expressions that can fire at all do so within a few decades (29 February on a Monday). */
const CRON_SEARCH_SPAN = 400 * 366 * DAY;

export interface FireTimeOptions {
  /** Epoch ms; only fire times strictly after it are returned. */
  after: number;
  /** At most this many fire times. */
  count: number;
  /** Epoch ms; no fire time after it (inclusive bound). */
  until?: number;
}

export interface FireSlot {
  /** When the schedule fires (epoch ms). */
  at: number;
  /** `gap`: the scheduled local time did not exist; `ambiguous`: it occurred twice, the first was used. */
  kind: WallTimeKind;
  /** The scheduled local wall time (see zonedTime.ts), for schedules defined in local time. */
  wall?: number;
}

/** The zone a schedule is evaluated in. */
export function scheduleTimeZone(schedule: ScheduleInput): string {
  if ('rrule' in schedule && !schedule.timezone) {
    const parsed = parseRecurrence(schedule.rrule);
    const zone = parsed.ok ? parsed.value.dtstart?.zone : undefined;
    return zone && zone !== 'floating' ? zone : 'UTC';
  }
  return schedule.timezone ?? 'UTC';
}

/** The next `count` fire times after `after`, strictly increasing. */
export function nextFireTimes(schedule: ScheduleInput, options: FireTimeOptions): number[] {
  return nextFireSlots(schedule, options).map((s) => s.at);
}

/** The first fire time after `after`, or null if the schedule never fires again. */
export function nextFireTime(schedule: ScheduleInput, after: number): number | null {
  return nextFireSlots(schedule, { after, count: 1 })[0]?.at ?? null;
}

/** Like nextFireTimes, with what the DST policy did to each slot (for `schedule preview`). */
export function nextFireSlots(schedule: ScheduleInput, options: FireTimeOptions): FireSlot[] {
  const { after, count, until } = options;
  if (!Number.isFinite(after)) throw new InvalidError(`after must be a time in epoch milliseconds, got ${after}`);
  if (!Number.isInteger(count) || count < 0) throw new InvalidError(`count must be a whole number ≥ 0, got ${count}`);
  const out: FireSlot[] = [];
  if (count === 0 || (until !== undefined && until <= after)) return out;
  const timeZone = scheduleTimeZone(schedule);
  let budget = count + MAX_EXTRA_CANDIDATES;
  for (const slot of candidates(schedule, timeZone, after, budget)) {
    if (budget-- <= 0) break;
    if (until !== undefined && slot.at > until) break;
    if (slot.at <= after || slot.at <= (out.at(-1)?.at ?? -Infinity)) continue;
    out.push(slot);
    if (out.length >= count) break;
  }
  return out;
}

function candidates(schedule: ScheduleInput, timeZone: string, after: number, budget: number): Iterable<FireSlot> {
  if ('interval' in schedule) return intervalSlots(schedule.interval, schedule.anchor_date, timeZone, after);
  if ('cron' in schedule) return cronSlots(schedule.cron, schedule.day_or ?? true, timeZone, after);
  return rruleSlots(schedule.rrule, timeZone, after, budget);
}

function fromWall(wall: number, timeZone: string): FireSlot {
  const { instant, kind } = resolveWall(wall, timeZone);
  return { at: instant, kind, wall };
}

function* intervalSlots(seconds: number, anchorText: string | undefined, timeZone: string, after: number): Generator<FireSlot> {
  if (!(seconds > 0) || !Number.isFinite(seconds)) throw new InvalidError(`interval must be a number of seconds > 0, got ${seconds}`);
  const step = seconds * 1000;
  const written = parseDateTime(anchorText ?? DEFAULT_ANCHOR_LOCAL);
  if (written === null) throw new InvalidError(`anchor_date '${anchorText}' is not an ISO-8601 date-time`);
  if (step < DAY) {
    const anchor = written.offsetMs === null ? wallToInstant(written.wall, timeZone) : written.wall - written.offsetMs;
    let k = Math.floor((after - anchor) / step);
    for (;;) {
      yield { at: Math.round(anchor + k * step), kind: 'exact' };
      k++;
    }
  }
  // A naive anchor keeps its written local time, even one that does not exist on the anchor's own
  // day (02:30 on spring-forward day runs at 02:30 on the other days, not 03:00).
  const anchorWall = written.offsetMs === null ? written.wall : instantToWall(written.wall - written.offsetMs, timeZone);
  // In wall time a slot at or before after's own wall time maps at or before `after` (the mapping
  // is monotonic), so starting from there loses nothing; the caller skips the ones not after it.
  let k = Math.floor((instantToWall(after, timeZone) - anchorWall) / step);
  for (;;) {
    const wall = Math.round(anchorWall + k * step);
    if (wall > MAX_WALL) return;
    yield fromWall(wall, timeZone);
    k++;
  }
}

function* cronSlots(expression: string, dayOr: boolean, timeZone: string, after: number): Generator<FireSlot> {
  const parsed = parseCron(expression);
  if (!parsed.ok) throw new InvalidError(`cron '${expression}' is invalid: ${parsed.error}`);
  if (!cronCanFire(parsed.spec, dayOr)) return;
  // Wall times up to after's own map at or before `after` (see intervalSlots), so start there.
  let wall = instantToWall(after, timeZone);
  const limit = Math.min(MAX_WALL, wall + CRON_SEARCH_SPAN);
  for (;;) {
    const next = nextCronWall(parsed.spec, dayOr, wall, limit);
    if (next === null) return;
    yield fromWall(next, timeZone);
    wall = next;
  }
}

function* rruleSlots(text: string, timeZone: string, after: number, budget: number): Generator<FireSlot> {
  const parsed = parseRecurrence(text);
  if (!parsed.ok) throw new InvalidError(`rrule is invalid: ${parsed.error}`);
  const rec: RecurrenceText = parsed.value;
  const afterWall = instantToWall(after, timeZone);
  const walls = recurrenceWalls(rec, timeZone, afterWall, recurrenceHorizon(rec, afterWall, budget), budget);
  for (const wall of walls) yield fromWall(wall, timeZone);
}
