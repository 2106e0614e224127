/**
 * Five-field cron expressions (minute hour day-of-month month day-of-week), parsed and matched in
 * wall time (see zonedTime.ts), so DST is handled in one place, after matching.
 *
 * Accepted: `*`, `?` (as `*`, in the two day fields), numbers, ranges `a-b`, steps `*\/n`, `a-b/n`
 * and `a/n` (from a to the end of the field), lists, names (JAN–DEC, SUN–SAT, any case, also in
 * ranges), 7 for Sunday, and the aliases @yearly @annually @monthly @weekly @daily @midnight
 * @hourly. Not accepted: seconds or years fields, `L`, `W`, `#`, wrap-around ranges such as FRI-MON.
 *
 * Day matching: a day field written as `*` or `?` restricts nothing. When both day fields restrict,
 * `day_or` (default true, as classic cron) lets either one match; false requires both. Any other
 * spelling restricts, even one that lists every day (`*\/1`, `1-31`).
 */

export interface CronSpec {
  minutes: readonly boolean[];
  hours: readonly boolean[];
  /** Index 1–31. */
  daysOfMonth: readonly boolean[];
  /** Index 1–12. */
  months: readonly boolean[];
  /** Index 0–6, Sunday = 0. */
  daysOfWeek: readonly boolean[];
  /** The day-of-month field is `*` or `?` (it restricts nothing). */
  domStar: boolean;
  /** The day-of-week field is `*` or `?`. */
  dowStar: boolean;
}

export type CronParse = { ok: true; spec: CronSpec } | { ok: false; error: string };

const ALIASES: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldDef {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** First value the names map to (JAN = 1, SUN = 0). */
  namesFrom?: number;
}

const FIELDS: readonly FieldDef[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES, namesFrom: 1 },
  { name: 'day-of-week', min: 0, max: 7, names: DAY_NAMES, namesFrom: 0 },
];

/** Longest day of each month (February counts its leap day). */
const MONTH_MAX_DAYS = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

class CronSyntaxError extends Error {}

/** Parses a cron expression; the error says what is wrong without repeating the expression. */
export function parseCron(expression: string): CronParse {
  const trimmed = expression.trim();
  let text = trimmed;
  if (text.startsWith('@')) {
    const alias = ALIASES[text.toLowerCase()];
    if (!alias) return { ok: false, error: `unknown alias ${text} (use one of ${Object.keys(ALIASES).join(', ')})` };
    text = alias;
  }
  const parts = text.split(/\s+/).filter((p) => p !== '');
  if (parts.length !== 5) {
    return {
      ok: false,
      error: `a cron expression has 5 fields (minute hour day-of-month month day-of-week), this one has ${parts.length}`,
    };
  }
  try {
    const sets = parts.map((part, i) => parseField(part, FIELDS[i] as FieldDef));
    const [minutes, hours, daysOfMonth, months, dowRaw] = sets as [boolean[], boolean[], boolean[], boolean[], boolean[]];
    const daysOfWeek = dowRaw.slice(0, 7);
    if (dowRaw[7]) daysOfWeek[0] = true;
    const isStar = (p: string): boolean => p === '*' || p === '?';
    return {
      ok: true,
      spec: {
        minutes,
        hours,
        daysOfMonth,
        months,
        daysOfWeek,
        domStar: isStar(parts[2] as string),
        dowStar: isStar(parts[4] as string),
      },
    };
  } catch (err) {
    if (err instanceof CronSyntaxError) return { ok: false, error: err.message };
    throw err;
  }
}

function parseField(text: string, field: FieldDef): boolean[] {
  const set = new Array<boolean>(field.max + 1).fill(false);
  if (text === '?') {
    if (field.name !== 'day-of-month' && field.name !== 'day-of-week') {
      throw new CronSyntaxError(`${field.name} '?' is only allowed in the day-of-month and day-of-week fields`);
    }
    text = '*';
  }
  for (const item of text.split(',')) {
    if (item === '') throw new CronSyntaxError(`${field.name} field '${text}' has an empty list item`);
    const [rangeText, stepText, extra] = item.split('/');
    if (extra !== undefined) throw new CronSyntaxError(`${field.name} '${item}' has more than one /`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText)) throw new CronSyntaxError(`${field.name} step '${stepText}' is not a whole number`);
      step = Number(stepText);
      if (step < 1) throw new CronSyntaxError(`${field.name} step ${step} must be at least 1`);
    }
    let from: number;
    let to: number;
    if (rangeText === '*') {
      from = field.min;
      to = field.name === 'day-of-week' ? 6 : field.max;
    } else {
      const bounds = (rangeText ?? '').split('-');
      if (bounds.length > 2) throw new CronSyntaxError(`${field.name} '${item}' is not a value or a range`);
      from = parseValue(bounds[0] ?? '', field);
      // `a/n` runs from a to the end of the field, as in croniter and Vixie cron.
      to = bounds.length === 2 ? parseValue(bounds[1] ?? '', field) : stepText !== undefined ? field.max : from;
      if (to < from) throw new CronSyntaxError(`${field.name} range ${rangeText} runs backwards`);
    }
    for (let v = from; v <= to; v += step) set[v] = true;
  }
  return set;
}

function parseValue(text: string, field: FieldDef): number {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n < field.min || n > field.max) throw new CronSyntaxError(`${field.name} ${n} is out of range ${field.min}-${field.max}`);
    return n;
  }
  const index = field.names?.indexOf(text.toUpperCase()) ?? -1;
  if (index >= 0) return index + (field.namesFrom ?? 0);
  if (/^[LW#]|[LW#]$|#/i.test(text)) throw new CronSyntaxError(`${field.name} '${text}' uses L, W or #, which baton does not support`);
  const hint = field.names ? ` (use ${field.min}-${field.max} or ${field.names[0]}-${field.names.at(-1)})` : ` (use ${field.min}-${field.max})`;
  throw new CronSyntaxError(`${field.name} '${text}' is not a valid value${hint}`);
}

/** Whether the expression can ever fire: some listed month must have one of the listed days. */
export function cronCanFire(spec: CronSpec, dayOr: boolean): boolean {
  const domDecides = !spec.domStar && (spec.dowStar || !dayOr);
  if (!domDecides) return true;
  for (let m = 1; m <= 12; m++) {
    if (!spec.months[m]) continue;
    for (let d = 1; d <= (MONTH_MAX_DAYS[m] as number); d++) if (spec.daysOfMonth[d]) return true;
  }
  return false;
}

function dayMatches(spec: CronSpec, dayOr: boolean, date: Date): boolean {
  const dom = spec.daysOfMonth[date.getUTCDate()] === true;
  const dow = spec.daysOfWeek[date.getUTCDay()] === true;
  // Classic cron: when both day fields restrict, a day matching either one is enough.
  if (spec.domStar || spec.dowStar) return dom && dow;
  return dayOr ? dom || dow : dom && dow;
}

const MINUTE = 60_000;
/** Field-by-field skipping finds any possible match well within this many steps (see cronCanFire). */
const MAX_STEPS = 200_000;

/**
 * The first wall time strictly after `afterWall` that matches, or null when none comes before
 * `limitWall`. Callers check cronCanFire first; MAX_STEPS only guards against a bug looping forever.
 */
export function nextCronWall(spec: CronSpec, dayOr: boolean, afterWall: number, limitWall: number): number | null {
  let t = Math.floor(afterWall / MINUTE) * MINUTE + MINUTE;
  for (let steps = 0; steps < MAX_STEPS && t <= limitWall; steps++) {
    const d = new Date(t);
    const y = d.getUTCFullYear();
    const mo = d.getUTCMonth();
    const day = d.getUTCDate();
    const h = d.getUTCHours();
    if (!spec.months[mo + 1]) {
      t = Date.UTC(y, mo + 1, 1);
      continue;
    }
    if (!dayMatches(spec, dayOr, d)) {
      t = Date.UTC(y, mo, day + 1);
      continue;
    }
    if (!spec.hours[h]) {
      t = Date.UTC(y, mo, day, h + 1);
      continue;
    }
    const m = d.getUTCMinutes();
    let next = m;
    while (next < 60 && !spec.minutes[next]) next++;
    if (next === 60) {
      t = Date.UTC(y, mo, day, h + 1);
      continue;
    }
    return Date.UTC(y, mo, day, h, next);
  }
  return null;
}
