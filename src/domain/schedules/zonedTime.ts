/**
 * Time-zone arithmetic with `Intl.DateTimeFormat` only.
 *
 * Schedules are evaluated in *wall time*: a local date and time written as milliseconds, as if the
 * local fields were UTC (`Date.UTC(year, month - 1, day, hour, minute, second)`). Wall time has no
 * DST, so calendar stepping (next day, next month, every 36 hours) is plain arithmetic on it; only
 * the final step, wall time → instant, meets the zone's rules. That step follows baton's DST policy:
 *
 * - a wall time that does not exist (the spring-forward gap) maps to the first instant after the
 *   gap (02:30 on 2026-03-08 in America/New_York → 03:00 EDT = 07:00Z);
 * - a wall time that occurs twice (fall back) maps to its first occurrence (the earlier instant).
 *
 * Both rules keep the mapping monotonic (a later wall time never maps to an earlier instant), which
 * the schedule generators rely on to stop early and to drop duplicates.
 */

/** A local date and time; `month` is 1–12. */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond?: number;
}

/** How a wall time maps to an instant. */
export type WallTimeKind = 'exact' | 'gap' | 'ambiguous';

export interface ResolvedWallTime {
  /** The instant baton uses for this wall time (epoch ms). */
  instant: number;
  /** `gap`: the time does not exist and was moved forward; `ambiguous`: it occurs twice, the first was kept. */
  kind: WallTimeKind;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

let canonicalZones: Set<string> | null = null;

/**
 * Whether `name` is a time zone baton accepts: a name from the IANA database, including the links
 * ICU knows (`UTC`, `Etc/GMT+5`, `US/Eastern`). Bare offsets such as `+05:00` are not zones.
 */
export function isIanaTimeZone(name: string): boolean {
  canonicalZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (canonicalZones.has(name)) return true;
  if (name === '' || /^[+\-\d]/.test(name)) return false;
  try {
    formatterFor(name);
    return true;
  } catch {
    return false;
  }
}

/** Wall time (local fields read as UTC) of an instant in a zone. */
export function instantToWall(instant: number, timeZone: string): number {
  const ms = ((instant % 1000) + 1000) % 1000;
  const parts = formatterFor(timeZone).formatToParts(instant - ms);
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let bc = false;
  for (const p of parts) {
    switch (p.type) {
      case 'year':
        year = Number(p.value);
        break;
      case 'month':
        month = Number(p.value);
        break;
      case 'day':
        day = Number(p.value);
        break;
      case 'hour':
        hour = Number(p.value);
        break;
      case 'minute':
        minute = Number(p.value);
        break;
      case 'second':
        second = Number(p.value);
        break;
      case 'era':
        bc = p.value.startsWith('B');
        break;
      default:
        break;
    }
  }
  return wallFromFields({ year: bc ? 1 - year : year, month, day, hour, minute, second, millisecond: ms });
}

/** The zone's UTC offset at an instant, in ms (local minus UTC; −4 h for EDT). */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  return instantToWall(instant, timeZone) - instant;
}

/** Every instant whose local time in the zone is exactly `wall` (none in a gap, two in a fold). */
function instantsForWall(wall: number, timeZone: string): number[] {
  // Offsets a day either side cover any single transition near `wall`; zones never change twice a day.
  const offsets = new Set([zoneOffsetMs(wall - DAY, timeZone), zoneOffsetMs(wall + DAY, timeZone)]);
  const found: number[] = [];
  for (const offset of offsets) {
    const candidate = wall - offset;
    if (instantToWall(candidate, timeZone) === wall) found.push(candidate);
  }
  return found.sort((a, b) => a - b);
}

/**
 * The instant a wall time maps to under baton's DST policy, and whether the policy had to step in.
 */
export function resolveWall(wall: number, timeZone: string): ResolvedWallTime {
  const found = instantsForWall(wall, timeZone);
  if (found.length === 1) return { instant: found[0] as number, kind: 'exact' };
  if (found.length > 1) return { instant: found[0] as number, kind: 'ambiguous' };
  return { instant: firstInstantAfterGap(wall, timeZone), kind: 'gap' };
}

/** Wall time → instant under baton's DST policy. */
export function wallToInstant(wall: number, timeZone: string): number {
  return resolveWall(wall, timeZone).instant;
}

/**
 * The transition instant that ends the gap containing `wall`. Before it the zone shows times earlier
 * than `wall`, from it on times later than `wall`; a binary search over whole seconds finds it
 * (offsets change on whole seconds).
 */
function firstInstantAfterGap(wall: number, timeZone: string): number {
  const before = zoneOffsetMs(wall - DAY, timeZone);
  const after = zoneOffsetMs(wall + DAY, timeZone);
  // In a gap the offset grows: `wall - after` is still in the old offset, `wall - before` in the new.
  let lo = Math.floor((wall - after) / 1000);
  let hi = Math.ceil((wall - before) / 1000);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (instantToWall(mid * 1000, timeZone) > wall) hi = mid;
    else lo = mid;
  }
  return hi * 1000;
}

/** Whether a local time does not exist in the zone (it falls in a spring-forward gap). */
export function isNonexistentLocalTime(local: LocalDateTime, timeZone: string): boolean {
  return resolveWall(wallFromFields(local), timeZone).kind === 'gap';
}

/** Whether a local time occurs twice in the zone (it falls in a fall-back fold). */
export function isAmbiguousLocalTime(local: LocalDateTime, timeZone: string): boolean {
  return resolveWall(wallFromFields(local), timeZone).kind === 'ambiguous';
}

/** Local fields → instant under baton's DST policy. */
export function localToInstant(local: LocalDateTime, timeZone: string): number {
  return wallToInstant(wallFromFields(local), timeZone);
}

/** Instant → local fields in a zone. */
export function instantToLocal(instant: number, timeZone: string): LocalDateTime {
  return fieldsFromWall(instantToWall(instant, timeZone));
}

export function wallFromFields(local: LocalDateTime): number {
  const d = new Date(0);
  // setUTCFullYear keeps years 0–99 as given (Date.UTC would read them as 1900–1999).
  d.setUTCFullYear(local.year, local.month - 1, local.day);
  d.setUTCHours(local.hour, local.minute, local.second, local.millisecond ?? 0);
  return d.getTime();
}

export function fieldsFromWall(wall: number): LocalDateTime {
  const d = new Date(wall);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
  };
}

/** `-04:00`, `+05:30`, `+00:00`. */
export function formatOffset(offsetMs: number): string {
  const sign = offsetMs < 0 ? '-' : '+';
  const minutes = Math.round(Math.abs(offsetMs) / MINUTE);
  return `${sign}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** `HH:MM`, or `HH:MM:SS` when the seconds are not zero, of a wall time. */
export function formatWallClock(wall: number): string {
  const d = new Date(wall);
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return d.getUTCSeconds() === 0 ? hm : `${hm}:${pad(d.getUTCSeconds())}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

const ISO_LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * An ISO-8601 date-time to an instant. A value with `Z` or an offset is that instant; a value
 * without one is a local time in `timeZone` (so `2026-03-01T09:00` with America/New_York is 9 am
 * there), mapped with the DST policy. Null when the text is not a real date and time.
 */
export function parseDateTimeInZone(text: string, timeZone: string): number | null {
  const parsed = parseDateTime(text);
  if (parsed === null) return null;
  return parsed.offsetMs === null ? wallToInstant(parsed.wall, timeZone) : parsed.wall - parsed.offsetMs;
}

/**
 * An ISO-8601 date-time as written: its wall time, and its offset (0 for Z) or null when it has
 * none. Null when the text is not a real date and time.
 */
export function parseDateTime(text: string): { wall: number; offsetMs: number | null } | null {
  const m = ISO_LOCAL.exec(text.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const millisecond = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;
  const wall = wallFromFields({ year, month, day, hour, minute, second, millisecond });
  if (fieldsFromWall(wall).day !== day) return null;
  const zone = m[8];
  if (zone === undefined) return { wall, offsetMs: null };
  if (zone.toUpperCase() === 'Z') return { wall, offsetMs: 0 };
  const om = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!om || Number(om[3]) > 59) return null;
  return { wall, offsetMs: (om[1] === '-' ? -1 : 1) * (Number(om[2]) * 60 + Number(om[3])) * MINUTE };
}
