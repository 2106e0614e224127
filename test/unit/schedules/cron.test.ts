import { describe, expect, test } from 'vitest';
import { parseCron } from '../../../src/domain/schedules/cron.js';
import { nextFireTime, nextFireTimes } from '../../../src/domain/schedules/nextFireTimes.js';

const NY = 'America/New_York';
const BERLIN = 'Europe/Berlin';
const at = (iso: string): number => Date.parse(iso);
const iso = (times: number[]): string[] => times.map((t) => new Date(t).toISOString().replace('.000Z', 'Z'));
const cron = (expr: string, timezone = 'UTC', day_or = true) => ({ cron: expr, timezone, day_or });

describe('parsing', () => {
  test.each([
    ['61 * * * *', 'minute 61 is out of range 0-59'],
    ['0 24 * * *', 'hour 24 is out of range 0-23'],
    ['0 0 0 * *', 'day-of-month 0 is out of range 1-31'],
    ['0 0 * 13 *', 'month 13 is out of range 1-12'],
    ['0 0 * * 8', 'day-of-week 8 is out of range 0-7'],
    ['* * *', 'a cron expression has 5 fields (minute hour day-of-month month day-of-week), this one has 3'],
    ['0 0 * * * *', 'this one has 6'],
    ['*/0 * * * *', 'minute step 0 must be at least 1'],
    ['0 9 * * FRI-MON', 'day-of-week range FRI-MON runs backwards'],
    ['0 9 * * MOON', "day-of-week 'MOON' is not a valid value (use 0-7 or SUN-SAT)"],
    ['0 9 L * *', "day-of-month 'L' uses L, W or #, which baton does not support"],
    ['0 9 * * 5#2', 'uses L, W or #'],
    ['0 9 1,,2 * *', 'has an empty list item'],
    ['? * * * *', "minute '?' is only allowed"],
    ['@reboot', 'unknown alias @reboot'],
  ])('%s is refused: %s', (expression, message) => {
    const parsed = parseCron(expression);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(message);
  });

  test('names, lists, ranges with steps, 7 for Sunday and ? are understood', () => {
    const parsed = parseCron('5-20/5,59 9 ? jan,JUL mon-FRI');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const on = (set: readonly boolean[]) => set.flatMap((v, i) => (v ? [i] : []));
    expect(on(parsed.spec.minutes)).toEqual([5, 10, 15, 20, 59]);
    expect(on(parsed.spec.months)).toEqual([1, 7]);
    expect(on(parsed.spec.daysOfWeek)).toEqual([1, 2, 3, 4, 5]);
    expect(parsed.spec.domStar).toBe(true);
    const sunday = parseCron('0 0 * * 7');
    expect(sunday.ok && on(sunday.spec.daysOfWeek)).toEqual([0]);
    const fromTo = parseCron('10/20 * * * *');
    expect(fromTo.ok && on(fromTo.spec.minutes)).toEqual([10, 30, 50]);
  });
});

describe('aliases', () => {
  test.each([
    ['@hourly', ['2026-01-15T11:00:00Z', '2026-01-15T12:00:00Z']],
    ['@daily', ['2026-01-16T00:00:00Z', '2026-01-17T00:00:00Z']],
    ['@midnight', ['2026-01-16T00:00:00Z', '2026-01-17T00:00:00Z']],
    ['@weekly', ['2026-01-18T00:00:00Z', '2026-01-25T00:00:00Z']],
    ['@monthly', ['2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z']],
    ['@yearly', ['2027-01-01T00:00:00Z', '2028-01-01T00:00:00Z']],
    ['@annually', ['2027-01-01T00:00:00Z', '2028-01-01T00:00:00Z']],
  ])('%s', (alias, expected) => {
    expect(iso(nextFireTimes(cron(alias), { after: at('2026-01-15T10:30:00Z'), count: 2 }))).toEqual(expected);
  });
});

describe('DST in America/New_York (2026-03-08 and 2026-11-01)', () => {
  test('*/15 on spring-forward night fires once at 03:00, not once per missing slot', () => {
    const times = nextFireTimes(cron('*/15 * * * *', NY), { after: at('2026-03-08T06:40:00Z'), count: 4 });
    // 01:45 EST, then 02:00–02:45 and 03:00 all map to 03:00 EDT (07:00Z), then 03:15 EDT.
    expect(iso(times)).toEqual(['2026-03-08T06:45:00Z', '2026-03-08T07:00:00Z', '2026-03-08T07:15:00Z', '2026-03-08T07:30:00Z']);
  });

  test('a daily 02:30 runs at 03:00 EDT on the day 02:30 does not exist, once', () => {
    const times = nextFireTimes(cron('30 2 * * *', NY), { after: at('2026-03-07T00:00:00Z'), count: 3 });
    expect(iso(times)).toEqual(['2026-03-07T07:30:00Z', '2026-03-08T07:00:00Z', '2026-03-09T06:30:00Z']);
  });

  test('a daily 09:00 stays 09:00 local: 14:00Z in winter, 13:00Z in summer', () => {
    const times = nextFireTimes(cron('0 9 * * *', NY), { after: at('2026-03-07T00:00:00Z'), count: 3 });
    expect(iso(times)).toEqual(['2026-03-07T14:00:00Z', '2026-03-08T13:00:00Z', '2026-03-09T13:00:00Z']);
  });

  test('the repeated hour on fall-back night fires once, at its first occurrence', () => {
    const times = nextFireTimes(cron('*/30 * * * *', NY), { after: at('2026-11-01T04:45:00Z'), count: 4 });
    // 01:00 and 01:30 EDT (05:00Z, 05:30Z); the EST repeats (06:00Z, 06:30Z) are skipped; 02:00 EST.
    expect(iso(times)).toEqual(['2026-11-01T05:00:00Z', '2026-11-01T05:30:00Z', '2026-11-01T07:00:00Z', '2026-11-01T07:30:00Z']);
  });

  test('asked during the second pass of the repeated hour, the next slot is after it, not back in it', () => {
    // 06:10Z is 01:10 EST; 01:30 already ran at 05:30Z (EDT).
    expect(nextFireTime(cron('*/30 * * * *', NY), at('2026-11-01T06:10:00Z'))).toBe(at('2026-11-01T07:00:00Z'));
  });

  test('a daily 01:30 runs once on fall-back day', () => {
    const times = nextFireTimes(cron('30 1 * * *', NY), { after: at('2026-10-31T00:00:00Z'), count: 3 });
    expect(iso(times)).toEqual(['2026-10-31T05:30:00Z', '2026-11-01T05:30:00Z', '2026-11-02T06:30:00Z']);
  });
});

describe('DST in Europe/Berlin (2026-03-29 and 2026-10-25)', () => {
  test('a daily 02:30 across spring-forward and fall-back', () => {
    expect(iso(nextFireTimes(cron('30 2 * * *', BERLIN), { after: at('2026-03-28T00:00:00Z'), count: 3 }))).toEqual([
      '2026-03-28T01:30:00Z',
      '2026-03-29T01:00:00Z',
      '2026-03-30T00:30:00Z',
    ]);
    expect(iso(nextFireTimes(cron('30 2 * * *', BERLIN), { after: at('2026-10-24T00:00:00Z'), count: 3 }))).toEqual([
      '2026-10-24T00:30:00Z',
      '2026-10-25T00:30:00Z',
      '2026-10-26T01:30:00Z',
    ]);
  });

  test('hourly across fall-back: local 02:00 once, so two real hours pass before 03:00', () => {
    expect(iso(nextFireTimes(cron('0 * * * *', BERLIN), { after: at('2026-10-24T23:30:00Z'), count: 3 }))).toEqual([
      '2026-10-25T00:00:00Z',
      '2026-10-25T02:00:00Z',
      '2026-10-25T03:00:00Z',
    ]);
  });
});

describe('calendar edges', () => {
  test('day 31 skips the months that do not have one', () => {
    const times = nextFireTimes(cron('0 9 31 * *'), { after: at('2026-01-01T00:00:00Z'), count: 7 });
    expect(iso(times).map((t) => t.slice(0, 10))).toEqual(['2026-01-31', '2026-03-31', '2026-05-31', '2026-07-31', '2026-08-31', '2026-10-31', '2026-12-31']);
  });

  test('29 February fires only in leap years', () => {
    expect(iso(nextFireTimes(cron('0 0 29 2 *'), { after: at('2026-01-01T00:00:00Z'), count: 2 }))).toEqual([
      '2028-02-29T00:00:00Z',
      '2032-02-29T00:00:00Z',
    ]);
  });

  test('an expression that can never fire returns nothing (and terminates)', () => {
    expect(nextFireTimes(cron('0 0 31 2 *'), { after: at('2026-01-01T00:00:00Z'), count: 5 })).toEqual([]);
    expect(nextFireTimes(cron('0 0 31 2,4,6,9,11 *', 'UTC', false), { after: at('2026-01-01T00:00:00Z'), count: 5 })).toEqual([]);
    expect(nextFireTime(cron('0 0 31 2 *', NY), at('2026-01-01T00:00:00Z'))).toBeNull();
  });

  test('29 February on a Monday (day_or false) is found 18 years out', () => {
    expect(nextFireTime(cron('0 0 29 2 1', 'UTC', false), at('2026-01-01T00:00:00Z'))).toBe(at('2044-02-29T00:00:00Z'));
  });
});

describe('day_or', () => {
  test('true: when both day fields are restricted, either one matches (Fridays and the 13th)', () => {
    const times = nextFireTimes(cron('0 0 13 * FRI', 'UTC', true), { after: at('2026-01-01T00:00:00Z'), count: 4 });
    expect(iso(times).map((t) => t.slice(0, 10))).toEqual(['2026-01-02', '2026-01-09', '2026-01-13', '2026-01-16']);
  });

  test('false: both must match (Friday the 13th)', () => {
    const times = nextFireTimes(cron('0 0 13 * FRI', 'UTC', false), { after: at('2026-01-01T00:00:00Z'), count: 3 });
    expect(iso(times).map((t) => t.slice(0, 10))).toEqual(['2026-02-13', '2026-03-13', '2026-11-13']);
  });

  test('a * day field restricts nothing, whatever day_or says', () => {
    const mondays = nextFireTimes(cron('0 0 * * MON', 'UTC', true), { after: at('2026-01-01T00:00:00Z'), count: 2 });
    expect(iso(mondays).map((t) => t.slice(0, 10))).toEqual(['2026-01-05', '2026-01-12']);
  });
});

describe('bounds', () => {
  test('after is exclusive, until inclusive, results strictly increasing', () => {
    const times = nextFireTimes(cron('0 * * * *'), { after: at('2026-01-01T00:00:00Z'), count: 10, until: at('2026-01-01T03:00:00Z') });
    expect(iso(times)).toEqual(['2026-01-01T01:00:00Z', '2026-01-01T02:00:00Z', '2026-01-01T03:00:00Z']);
  });

  test('a large count is served in full (the candidate budget grows with it)', () => {
    const times = nextFireTimes(cron('* * * * *', NY), { after: at('2026-03-08T00:00:00Z'), count: 3000 });
    expect(times).toHaveLength(3000);
    expect(times.every((t, i) => i === 0 || t > (times[i - 1] as number))).toBe(true);
  });

  test('an invalid expression given without validation throws a clear error', () => {
    expect(() => nextFireTimes(cron('61 * * * *'), { after: 0, count: 1 })).toThrow("cron '61 * * * *' is invalid: minute 61 is out of range 0-59");
  });
});
