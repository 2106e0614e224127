import { BadRequestError } from '../domain/errors.js';

/**
 * The times people type on the command line (`--start-in "5 minutes"`, `--start-at "2026-08-01
 * 17:30"`) and the relative times the CLI prints ("in 5 minutes", "3 seconds ago"). Hand-written
 * rather than a date library: the grammar is small and every CLI command pays for what it imports.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

const UNITS: Record<string, number> = {};
for (const [ms, names] of [
  [SECOND, ['s', 'sec', 'secs', 'second', 'seconds']],
  [MINUTE, ['m', 'min', 'mins', 'minute', 'minutes']],
  [HOUR, ['h', 'hr', 'hrs', 'hour', 'hours']],
  [DAY, ['d', 'day', 'days']],
  [WEEK, ['w', 'wk', 'wks', 'week', 'weeks']],
] as const) {
  for (const name of names) UNITS[name] = ms;
}

const DURATION_EXAMPLES = '"5 minutes", "in 2 hours", "30s" or "1h30m"';

/**
 * A duration in milliseconds: "5 minutes", "in 2 hours", "30s", "1h30m", "10 seconds",
 * "an hour", "1 day, 2 hours", "now".
 */
export function parseDuration(text: string): number {
  const bad = (why: string): never => {
    throw new BadRequestError(`'${text}' is not a duration (${why}): use e.g. ${DURATION_EXAMPLES}.`);
  };
  let rest = text.trim().toLowerCase();
  if (rest.startsWith('in ')) rest = rest.slice(3).trim();
  if (rest === 'now') return 0;
  if (rest === '') bad('it is empty');
  if (/^\d+(\.\d+)?$/.test(rest)) bad('a number needs a unit');
  if (/\bago$/.test(rest)) bad('a start time is in the future');
  const part = /\s*(?:(?:,|\band\b)\s*)?(?:(\d+(?:\.\d+)?)\s*|(an?)\s+)([a-z]+)\s*/y;
  let total = 0;
  while (part.lastIndex < rest.length) {
    const at = part.lastIndex;
    const m = part.exec(rest);
    if (!m) return bad(`cannot read '${rest.slice(at)}'`);
    const unit = m[3] as string;
    const size = UNITS[unit];
    if (size === undefined) bad(`unknown unit '${unit}'`);
    total += (m[1] === undefined ? 1 : Number(m[1])) * (size as number);
  }
  if (!Number.isFinite(total)) bad('it is too long');
  return Math.round(total);
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[t ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(z|[+-]\d{2}(?::?\d{2})?)?$/;
const TIME_ONLY = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * A point in time as epoch ms: ISO-8601 ("2026-08-01T17:30:00Z", "2026-08-01T17:30+02:00") or
 * "2026-08-01 17:30", local time unless an offset is given; a bare date is its local midnight and a
 * bare "17:30" is its next occurrence (the future is what a start time means).
 */
export function parseStartAt(text: string, now: number = Date.now()): number {
  const value = text.trim().toLowerCase();
  const bad = (why: string): never => {
    throw new BadRequestError(`'${text}' is not a date-time (${why}): use e.g. "2026-08-01 17:30" or 2026-08-01T17:30:00Z.`);
  };
  const timeOnly = TIME_ONLY.exec(value);
  if (timeOnly) {
    const [hour, minute, second] = [Number(timeOnly[1]), Number(timeOnly[2]), Number(timeOnly[3] ?? 0)];
    if (hour > 23 || minute > 59 || second > 59) bad('no such time of day');
    const today = new Date(now);
    const at = new Date(today.getFullYear(), today.getMonth(), today.getDate(), hour, minute, second).getTime();
    return at > now ? at : new Date(today.getFullYear(), today.getMonth(), today.getDate() + 1, hour, minute, second).getTime();
  }
  const m = DATE_TIME.exec(value);
  if (!m) bad('unrecognised format');
  const [, y, mo, d, h, mi, s, frac, offset] = m as RegExpExecArray;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h ?? 0);
  const minute = Number(mi ?? 0);
  const second = Number(s ?? 0);
  const ms = Number((frac ?? '').slice(0, 3).padEnd(3, '0'));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) bad('no such date');
  if (hour > 23 || minute > 59 || second > 59) bad('no such time of day');
  if (offset === undefined) return new Date(year, month - 1, day, hour, minute, second, ms).getTime();
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (offset === 'z') return utc;
  const o = /^([+-])(\d{2}):?(\d{2})?$/.exec(offset) as RegExpExecArray;
  const minutes = Number(o[2]) * 60 + Number(o[3] ?? 0);
  if (Number(o[2]) > 23 || Number(o[3] ?? 0) > 59) bad('no such UTC offset');
  return utc - (o[1] === '-' ? -1 : 1) * minutes * MINUTE;
}

/** Units of humanizeDelta, largest first, in seconds. */
const HUMAN_STEPS: readonly [number, string][] = [
  [365 * 86_400, 'year'],
  [30 * 86_400, 'month'],
  [7 * 86_400, 'week'],
  [86_400, 'day'],
  [3_600, 'hour'],
  [60, 'minute'],
  [1, 'second'],
];

/** "in 5 minutes", "3 seconds ago", "now": how far `target` is from `now`, for people. */
export function humanizeDelta(target: number, now: number = Date.now()): string {
  const delta = target - now;
  const seconds = Math.round(Math.abs(delta) / SECOND);
  if (seconds === 0) return 'now';
  const steps = HUMAN_STEPS;
  const i = steps.findIndex(([size]) => seconds >= size);
  let [size, unit] = steps[i] as [number, string];
  // Rounded to the nearest unit; 59.6 minutes reads "1 hour", not "60 minutes".
  const bigger = steps[i - 1];
  if (bigger && Math.round(seconds / size) * size >= bigger[0]) [size, unit] = bigger;
  const count = Math.round(seconds / size);
  const text = `${count} ${unit}${count === 1 ? '' : 's'}`;
  return delta > 0 ? `in ${text}` : `${text} ago`;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** "2026-08-01 17:30:00" (or with ".123" milliseconds) in the local time zone. */
export function formatLocalTime(ms: number, withMillis = false): string {
  const t = new Date(ms);
  const text = `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())} ${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}`;
  return withMillis ? `${text}.${pad(t.getMilliseconds(), 3)}` : text;
}
