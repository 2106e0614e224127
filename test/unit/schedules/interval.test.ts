import { describe, expect, test } from 'vitest';
import { nextFireTimes } from '../../../src/domain/schedules/nextFireTimes.js';
import { instantToLocal } from '../../../src/domain/schedules/zonedTime.js';

const NY = 'America/New_York';
const BERLIN = 'Europe/Berlin';
const HOUR = 3600;
const DAY = 86_400;
const at = (iso: string): number => Date.parse(iso);
const iso = (times: number[]): string[] => times.map((t) => new Date(t).toISOString().replace('.000Z', 'Z'));
const localHm = (t: number, zone: string): string => {
  const l = instantToLocal(t, zone);
  return `${l.month}-${l.day} ${String(l.hour).padStart(2, '0')}:${String(l.minute).padStart(2, '0')}`;
};

describe('under 24 hours: fixed steps in UTC', () => {
  test('hourly across spring-forward keeps 3600 s steps (local 02:00 simply never shows)', () => {
    const times = nextFireTimes({ interval: HOUR, anchor_date: '2026-01-01T00:00:00Z', timezone: NY }, { after: at('2026-03-08T05:30:00Z'), count: 4 });
    expect(iso(times)).toEqual(['2026-03-08T06:00:00Z', '2026-03-08T07:00:00Z', '2026-03-08T08:00:00Z', '2026-03-08T09:00:00Z']);
    expect(times.map((t) => localHm(t, NY))).toEqual(['3-8 01:00', '3-8 03:00', '3-8 04:00', '3-8 05:00']);
  });

  test('hourly across fall-back fires in both passes of the repeated hour', () => {
    const times = nextFireTimes({ interval: HOUR, anchor_date: '2026-01-01T00:00:00Z', timezone: NY }, { after: at('2026-11-01T04:30:00Z'), count: 3 });
    expect(iso(times)).toEqual(['2026-11-01T05:00:00Z', '2026-11-01T06:00:00Z', '2026-11-01T07:00:00Z']);
    expect(times.map((t) => localHm(t, NY))).toEqual(['11-1 01:00', '11-1 01:00', '11-1 02:00']);
  });

  test('the anchor sets the phase; slots lie on anchor + k·interval', () => {
    const times = nextFireTimes({ interval: 15 * 60, anchor_date: '2026-01-01T00:05:00Z' }, { after: at('2026-05-01T10:00:00Z'), count: 3 });
    expect(iso(times)).toEqual(['2026-05-01T10:05:00Z', '2026-05-01T10:20:00Z', '2026-05-01T10:35:00Z']);
  });

  test('an anchor in the future still gives the slots before it (k may be negative), as Prefect does', () => {
    const times = nextFireTimes({ interval: HOUR, anchor_date: '2026-06-01T00:30:00Z' }, { after: at('2026-05-01T00:00:00Z'), count: 2 });
    expect(iso(times)).toEqual(['2026-05-01T00:30:00Z', '2026-05-01T01:30:00Z']);
  });

  test('after is exclusive: a slot exactly at after is not returned; until is inclusive', () => {
    const schedule = { interval: 600, anchor_date: '2026-01-01T00:00:00Z' };
    expect(iso(nextFireTimes(schedule, { after: at('2026-01-01T00:10:00Z'), count: 1 }))).toEqual(['2026-01-01T00:20:00Z']);
    expect(iso(nextFireTimes(schedule, { after: at('2026-01-01T00:10:00Z'), count: 9, until: at('2026-01-01T00:40:00Z') }))).toEqual([
      '2026-01-01T00:20:00Z',
      '2026-01-01T00:30:00Z',
      '2026-01-01T00:40:00Z',
    ]);
  });

  test('fractional seconds are allowed and stay strictly increasing', () => {
    const times = nextFireTimes({ interval: 1.5, anchor_date: '2026-01-01T00:00:00Z' }, { after: at('2026-01-01T00:00:00Z'), count: 3 });
    expect(times.map((t) => t - at('2026-01-01T00:00:00Z'))).toEqual([1500, 3000, 4500]);
  });
});

describe('24 hours or more: local wall-clock time', () => {
  test('daily at 09:00 New York stays 09:00 local across spring-forward (14:00Z → 13:00Z), one run a day', () => {
    const times = nextFireTimes({ interval: DAY, anchor_date: '2026-03-01T09:00:00', timezone: NY }, { after: at('2026-03-06T00:00:00Z'), count: 5 });
    expect(iso(times)).toEqual(['2026-03-06T14:00:00Z', '2026-03-07T14:00:00Z', '2026-03-08T13:00:00Z', '2026-03-09T13:00:00Z', '2026-03-10T13:00:00Z']);
    expect(times.map((t) => localHm(t, NY))).toEqual(['3-6 09:00', '3-7 09:00', '3-8 09:00', '3-9 09:00', '3-10 09:00']);
  });

  test('daily across fall-back in Berlin: same local time, no day skipped or doubled', () => {
    const times = nextFireTimes({ interval: DAY, anchor_date: '2026-10-20T09:00:00+02:00', timezone: BERLIN }, { after: at('2026-10-23T12:00:00Z'), count: 4 });
    expect(iso(times)).toEqual(['2026-10-24T07:00:00Z', '2026-10-25T08:00:00Z', '2026-10-26T08:00:00Z', '2026-10-27T08:00:00Z']);
  });

  test('daily at 02:30 runs at 03:00 on the day 02:30 does not exist, and at 02:30 again the next day', () => {
    const times = nextFireTimes({ interval: DAY, anchor_date: '2026-01-01T02:30:00', timezone: NY }, { after: at('2026-03-07T00:00:00Z'), count: 3 });
    expect(iso(times)).toEqual(['2026-03-07T07:30:00Z', '2026-03-08T07:00:00Z', '2026-03-09T06:30:00Z']);
  });

  test('a naive anchor at a time that does not exist on its own day keeps that local time on other days', () => {
    const times = nextFireTimes({ interval: DAY, anchor_date: '2026-03-08T02:30:00', timezone: NY }, { after: at('2026-03-07T00:00:00Z'), count: 3 });
    expect(iso(times)).toEqual(['2026-03-07T07:30:00Z', '2026-03-08T07:00:00Z', '2026-03-09T06:30:00Z']);
  });

  test('daily at 01:30 runs once on fall-back day, at the first 01:30', () => {
    const times = nextFireTimes({ interval: DAY, anchor_date: '2026-01-01T01:30:00', timezone: NY }, { after: at('2026-10-31T00:00:00Z'), count: 3 });
    expect(iso(times)).toEqual(['2026-10-31T05:30:00Z', '2026-11-01T05:30:00Z', '2026-11-02T06:30:00Z']);
  });

  test('a weekly interval keeps its weekday and local time for a year of DST changes', () => {
    const times = nextFireTimes({ interval: 7 * DAY, anchor_date: '2026-01-05T08:00:00', timezone: BERLIN }, { after: at('2026-01-01T00:00:00Z'), count: 52 });
    expect(times).toHaveLength(52);
    expect(new Set(times.map((t) => localHm(t, BERLIN).split(' ')[1]))).toEqual(new Set(['08:00']));
    expect(times.every((t) => new Date(t + 3_600_000).getUTCDay() === 1)).toBe(true);
  });

  test('36 hours steps in local time too: 00:00 EST, then 12:00 EDT (35 real hours later)', () => {
    const times = nextFireTimes({ interval: 36 * HOUR, anchor_date: '2026-03-07T00:00:00', timezone: NY }, { after: at('2026-03-06T00:00:00Z'), count: 3 });
    expect(iso(times)).toEqual(['2026-03-07T05:00:00Z', '2026-03-08T16:00:00Z', '2026-03-10T04:00:00Z']);
  });

  test('a naive anchor is local to the timezone; one with Z is that instant', () => {
    const naive = nextFireTimes({ interval: DAY, anchor_date: '2026-01-01T09:00:00', timezone: NY }, { after: at('2026-01-10T00:00:00Z'), count: 1 });
    expect(iso(naive)).toEqual(['2026-01-10T14:00:00Z']);
    const utc = nextFireTimes({ interval: DAY, anchor_date: '2026-01-01T09:00:00Z', timezone: NY }, { after: at('2026-07-10T00:00:00Z'), count: 1 });
    // 09:00Z is 04:00 EST; the local time is what stays, so in summer it is 04:00 EDT = 08:00Z.
    expect(iso(utc)).toEqual(['2026-07-10T08:00:00Z']);
  });

  test('without an anchor a daily interval fires at local midnight (2020-01-01T00:00 in the zone)', () => {
    expect(iso(nextFireTimes({ interval: DAY, timezone: NY }, { after: at('2026-01-10T12:00:00Z'), count: 1 }))).toEqual(['2026-01-11T05:00:00Z']);
    expect(iso(nextFireTimes({ interval: DAY }, { after: at('2026-01-10T12:00:00Z'), count: 1 }))).toEqual(['2026-01-11T00:00:00Z']);
    expect(iso(nextFireTimes({ interval: DAY, timezone: null }, { after: at('2026-01-10T12:00:00Z'), count: 1 }))).toEqual(['2026-01-11T00:00:00Z']);
  });
});

test('count 0, an until before after, and bad arguments', () => {
  const schedule = { interval: 60 };
  expect(nextFireTimes(schedule, { after: 0, count: 0 })).toEqual([]);
  expect(nextFireTimes(schedule, { after: 1000, count: 5, until: 1000 })).toEqual([]);
  expect(() => nextFireTimes(schedule, { after: 0, count: 1.5 })).toThrow('count must be a whole number');
  expect(() => nextFireTimes({ interval: 0 }, { after: 0, count: 1 })).toThrow('interval must be a number of seconds > 0');
  expect(() => nextFireTimes({ interval: 60, anchor_date: 'soon' }, { after: 0, count: 1 })).toThrow("anchor_date 'soon'");
});
