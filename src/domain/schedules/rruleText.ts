/**
 * Parses RFC 5545 recurrence text (DTSTART, RRULE, RDATE, EXDATE lines) into a plain description,
 * checking every part so a bad rule is refused with a message that names the part. The rrule
 * package's own parser accepts too much (unknown values become `undefined` and fail later).
 */
import { isIanaTimeZone } from './zonedTime.js';

/** Longest rule text accepted, as Prefect's MAX_RRULE_LENGTH. */
export const MAX_RRULE_LENGTH = 6500;

/**
 * Largest COUNT accepted. A rule with COUNT is numbered from its DTSTART, so finding its next
 * occurrence walks every earlier one (about 2 µs each); this keeps that walk under a fraction of a
 * second. Longer series can use UNTIL, which has no such cost.
 */
export const MAX_RRULE_COUNT = 100_000;

export const FREQUENCIES = ['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY', 'MINUTELY', 'SECONDLY'] as const;
export type FrequencyName = (typeof FREQUENCIES)[number];
/** Monday first, as the rrule package numbers weekdays. */
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

/**
 * A date or date-time as written: `wall` holds its fields read as UTC; `zone` says how to read them
 * (`floating`: in the schedule's time zone; `UTC`: the value ended in Z; otherwise a TZID).
 */
export interface RuleDate {
  wall: number;
  zone: string;
}

export interface RulePart {
  freq: FrequencyName;
  interval: number;
  count: number | null;
  until: RuleDate | null;
  /** 0 = Monday. */
  wkst: number | null;
  bysecond: number[] | null;
  byminute: number[] | null;
  byhour: number[] | null;
  /** Weekday 0 = Monday, with an optional ordinal (`-1FR` → {weekday: 4, n: -1}). */
  byday: { weekday: number; n: number | null }[] | null;
  bymonthday: number[] | null;
  byyearday: number[] | null;
  byweekno: number[] | null;
  bymonth: number[] | null;
  bysetpos: number[] | null;
}

export interface RecurrenceText {
  dtstart: RuleDate | null;
  rules: RulePart[];
  rdates: RuleDate[];
  exdates: RuleDate[];
}

export type RecurrenceParse = { ok: true; value: RecurrenceText } | { ok: false; error: string };

class RuleSyntaxError extends Error {}

export function parseRecurrence(text: string): RecurrenceParse {
  if (text.length > MAX_RRULE_LENGTH) return { ok: false, error: `it is longer than ${MAX_RRULE_LENGTH} characters` };
  try {
    return { ok: true, value: parseLines(text) };
  } catch (err) {
    if (err instanceof RuleSyntaxError) return { ok: false, error: err.message };
    throw err;
  }
}

function parseLines(text: string): RecurrenceText {
  // RFC 5545 folds long lines: a line starting with a space or tab continues the previous one.
  const lines = text
    .replace(/\r?\n[ \t]/g, '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const result: RecurrenceText = { dtstart: null, rules: [], rdates: [], exdates: [] };
  for (const line of lines) {
    const { name, params, value } = splitLine(line);
    switch (name) {
      case 'DTSTART':
        if (result.dtstart) throw new RuleSyntaxError('DTSTART is given more than once');
        result.dtstart = parseDateValue(value, params, 'DTSTART');
        break;
      case 'RRULE':
        result.rules.push(parseRule(value));
        break;
      case 'RDATE':
      case 'EXDATE':
        for (const item of value.split(',')) {
          (name === 'RDATE' ? result.rdates : result.exdates).push(parseDateValue(item.trim(), params, name));
        }
        break;
      case 'EXRULE':
        throw new RuleSyntaxError('EXRULE is deprecated by RFC 5545 and not supported; use EXDATE');
      default:
        throw new RuleSyntaxError(`unsupported line ${name} (use DTSTART, RRULE, RDATE and EXDATE)`);
    }
  }
  if (result.rules.length === 0 && result.rdates.length === 0) throw new RuleSyntaxError('it has no RRULE (such as RRULE:FREQ=DAILY)');
  return result;
}

function splitLine(line: string): { name: string; params: Map<string, string>; value: string } {
  // A bare rule ("FREQ=DAILY;BYHOUR=9") is accepted, as Prefect and dateutil accept it.
  if (/^[A-Z-]+=/i.test(line)) return { name: 'RRULE', params: new Map(), value: line };
  const colon = line.indexOf(':');
  if (colon < 0) throw new RuleSyntaxError(`line '${line}' is neither NAME:VALUE nor a rule such as FREQ=DAILY`);
  const [head, ...paramTexts] = line.slice(0, colon).split(';');
  const params = new Map<string, string>();
  for (const p of paramTexts) {
    const eq = p.indexOf('=');
    if (eq < 0) throw new RuleSyntaxError(`parameter '${p}' has no value`);
    params.set(p.slice(0, eq).toUpperCase(), p.slice(eq + 1).replace(/^"(.*)"$/, '$1'));
  }
  return { name: (head ?? '').toUpperCase(), params, value: line.slice(colon + 1).trim() };
}

const DATE_VALUE = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/i;

function parseDateValue(value: string, params: Map<string, string>, where: string): RuleDate {
  for (const key of params.keys()) {
    if (key !== 'TZID' && key !== 'VALUE') throw new RuleSyntaxError(`${where} parameter ${key} is not supported`);
  }
  const kind = params.get('VALUE')?.toUpperCase();
  if (kind !== undefined && kind !== 'DATE' && kind !== 'DATE-TIME') throw new RuleSyntaxError(`${where} VALUE=${kind} is not supported`);
  const m = DATE_VALUE.exec(value);
  if (!m) throw new RuleSyntaxError(`${where} '${value}' is not a date such as 20260131 or 20260131T090000 (Z for UTC)`);
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const back = new Date(wall);
  if (back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw new RuleSyntaxError(`${where} '${value}' is not a real date and time`);
  }
  const tzid = params.get('TZID');
  if (m[7] && tzid !== undefined) throw new RuleSyntaxError(`${where} '${value}' has both TZID and Z`);
  if (tzid !== undefined && !isIanaTimeZone(tzid)) throw new RuleSyntaxError(`${where} TZID '${tzid}' is not an IANA time zone`);
  return { wall, zone: m[7] ? 'UTC' : (tzid ?? 'floating') };
}

function parseRule(value: string): RulePart {
  const rule: RulePart = {
    freq: 'DAILY',
    interval: 1,
    count: null,
    until: null,
    wkst: null,
    bysecond: null,
    byminute: null,
    byhour: null,
    byday: null,
    bymonthday: null,
    byyearday: null,
    byweekno: null,
    bymonth: null,
    bysetpos: null,
  };
  const seen = new Set<string>();
  for (const part of value.split(';').filter((p) => p.trim() !== '')) {
    const eq = part.indexOf('=');
    const key = (eq < 0 ? part : part.slice(0, eq)).trim().toUpperCase();
    const v = eq < 0 ? '' : part.slice(eq + 1).trim();
    if (eq < 0 || v === '') throw new RuleSyntaxError(`${key} has no value`);
    if (seen.has(key)) throw new RuleSyntaxError(`${key} is given more than once`);
    seen.add(key);
    switch (key) {
      case 'FREQ': {
        const f = v.toUpperCase();
        if (!(FREQUENCIES as readonly string[]).includes(f)) throw new RuleSyntaxError(`FREQ=${v} is not one of ${FREQUENCIES.join(', ')}`);
        rule.freq = f as FrequencyName;
        break;
      }
      case 'INTERVAL':
        rule.interval = positiveInt(key, v);
        break;
      case 'COUNT':
        rule.count = positiveInt(key, v);
        if (rule.count > MAX_RRULE_COUNT) throw new RuleSyntaxError(`COUNT=${v} is above ${MAX_RRULE_COUNT}; use UNTIL for longer series`);
        break;
      case 'UNTIL':
        rule.until = parseDateValue(v, new Map(), 'UNTIL');
        break;
      case 'WKST':
        rule.wkst = weekdayIndex(key, v);
        break;
      case 'BYSECOND':
        rule.bysecond = intList(key, v, 0, 59, false);
        break;
      case 'BYMINUTE':
        rule.byminute = intList(key, v, 0, 59, false);
        break;
      case 'BYHOUR':
        rule.byhour = intList(key, v, 0, 23, false);
        break;
      case 'BYDAY':
        rule.byday = v.split(',').map((d) => byDay(d.trim()));
        break;
      case 'BYMONTHDAY':
        rule.bymonthday = intList(key, v, 1, 31, true);
        break;
      case 'BYYEARDAY':
        rule.byyearday = intList(key, v, 1, 366, true);
        break;
      case 'BYWEEKNO':
        rule.byweekno = intList(key, v, 1, 53, true);
        break;
      case 'BYMONTH':
        rule.bymonth = intList(key, v, 1, 12, false);
        break;
      case 'BYSETPOS':
        rule.bysetpos = intList(key, v, 1, 366, true);
        break;
      default:
        throw new RuleSyntaxError(`unknown rule part ${key}`);
    }
  }
  if (!seen.has('FREQ')) throw new RuleSyntaxError('the rule has no FREQ (such as FREQ=DAILY)');
  if (rule.count !== null && rule.until !== null) throw new RuleSyntaxError('COUNT and UNTIL cannot both be given');
  checkCombinations(rule);
  return rule;
}

/** The combinations RFC 5545 §3.3.10 forbids, which the rrule package would silently misread. */
function checkCombinations(rule: RulePart): void {
  const { freq } = rule;
  if (rule.byday?.some((d) => d.n !== null) && freq !== 'MONTHLY' && freq !== 'YEARLY') {
    throw new RuleSyntaxError(`BYDAY with a number (such as 1MO) needs FREQ=MONTHLY or FREQ=YEARLY, not ${freq}`);
  }
  if (rule.byday?.some((d) => d.n !== null) && freq === 'YEARLY' && rule.byweekno) {
    throw new RuleSyntaxError('BYDAY with a number cannot be combined with BYWEEKNO');
  }
  if (rule.byweekno && freq !== 'YEARLY') throw new RuleSyntaxError(`BYWEEKNO needs FREQ=YEARLY, not ${freq}`);
  if (rule.byyearday && (freq === 'DAILY' || freq === 'WEEKLY' || freq === 'MONTHLY')) {
    throw new RuleSyntaxError(`BYYEARDAY cannot be used with FREQ=${freq}`);
  }
  if (rule.bymonthday && freq === 'WEEKLY') throw new RuleSyntaxError('BYMONTHDAY cannot be used with FREQ=WEEKLY');
}

function positiveInt(key: string, v: string): number {
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new RuleSyntaxError(`${key}=${v} must be a whole number of at least 1`);
  return Number(v);
}

function intList(key: string, v: string, min: number, max: number, signed: boolean): number[] {
  return v.split(',').map((item) => {
    const t = item.trim();
    if (!(signed ? /^[+-]?\d+$/ : /^\+?\d+$/).test(t)) throw new RuleSyntaxError(`${key} value '${t}' is not a whole number`);
    const n = Number(t);
    const abs = Math.abs(n);
    if (abs < min || abs > max || (!signed && n < 0)) {
      throw new RuleSyntaxError(`${key} value ${t} is out of range ${signed ? `${min} to ${max} or -${max} to -${min}` : `${min}-${max}`}`);
    }
    return n;
  });
}

function weekdayIndex(key: string, v: string): number {
  const i = (WEEKDAYS as readonly string[]).indexOf(v.toUpperCase());
  if (i < 0) throw new RuleSyntaxError(`${key}=${v} is not one of ${WEEKDAYS.join(', ')}`);
  return i;
}

function byDay(text: string): { weekday: number; n: number | null } {
  const m = /^([+-]?\d{1,2})?([A-Z]{2})$/i.exec(text);
  if (!m) throw new RuleSyntaxError(`BYDAY value '${text}' is not a weekday such as MO, 1MO or -1FR`);
  const weekday = weekdayIndex('BYDAY', m[2] as string);
  if (m[1] === undefined) return { weekday, n: null };
  const n = Number(m[1]);
  if (n === 0 || Math.abs(n) > 53) throw new RuleSyntaxError(`BYDAY value '${text}' has an ordinal outside 1 to 53 or -53 to -1`);
  return { weekday, n };
}
