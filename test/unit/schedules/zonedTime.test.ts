import { describe, expect, test } from 'vitest';
import {
  formatOffset,
  instantToLocal,
  isAmbiguousLocalTime,
  isIanaTimeZone,
  isNonexistentLocalTime,
  localToInstant,
  parseDateTimeInZone,
  resolveWall,
  wallFromFields,
  zoneOffsetMs,
} from '../../../src/domain/schedules/zonedTime.js';

const NY = 'America/New_York';
const BERLIN = 'Europe/Berlin';
const at = (iso: string): number => Date.parse(iso);
const local = (year: number, month: number, day: number, hour: number, minute = 0, second = 0) => ({ year, month, day, hour, minute, second });

describe('local time → instant', () => {
  test('ordinary local times use the offset in force (EST in winter, EDT in summer)', () => {
    expect(localToInstant(local(2026, 1, 15, 9), NY)).toBe(at('2026-01-15T14:00:00Z'));
    expect(localToInstant(local(2026, 7, 15, 9), NY)).toBe(at('2026-07-15T13:00:00Z'));
    expect(localToInstant(local(2026, 7, 15, 9), 'UTC')).toBe(at('2026-07-15T09:00:00Z'));
  });

  test('a time in the spring-forward gap moves to the first instant after the gap', () => {
    // 2026-03-08 02:00 EST → 03:00 EDT in New York; 02:30 does not exist.
    expect(resolveWall(wallFromFields(local(2026, 3, 8, 2, 30)), NY)).toEqual({ instant: at('2026-03-08T07:00:00Z'), kind: 'gap' });
    expect(localToInstant(local(2026, 3, 8, 2, 0), NY)).toBe(at('2026-03-08T07:00:00Z'));
    expect(localToInstant(local(2026, 3, 8, 2, 59, 59), NY)).toBe(at('2026-03-08T07:00:00Z'));
    expect(localToInstant(local(2026, 3, 8, 3, 0), NY)).toBe(at('2026-03-08T07:00:00Z'));
    // 2026-03-29 02:00 CET → 03:00 CEST in Berlin.
    expect(resolveWall(wallFromFields(local(2026, 3, 29, 2, 30)), BERLIN)).toEqual({ instant: at('2026-03-29T01:00:00Z'), kind: 'gap' });
  });

  test('a half-hour gap (Lord Howe Island) ends where the zone says, not an hour later', () => {
    expect(localToInstant(local(2026, 10, 4, 2, 15), 'Australia/Lord_Howe')).toBe(at('2026-10-03T15:30:00Z'));
  });

  test('a time that occurs twice maps to its first occurrence (daylight time)', () => {
    expect(resolveWall(wallFromFields(local(2026, 11, 1, 1, 30)), NY)).toEqual({ instant: at('2026-11-01T05:30:00Z'), kind: 'ambiguous' });
    expect(resolveWall(wallFromFields(local(2026, 10, 25, 2, 30)), BERLIN)).toEqual({ instant: at('2026-10-25T00:30:00Z'), kind: 'ambiguous' });
    expect(resolveWall(wallFromFields(local(2026, 11, 1, 2, 0)), NY)).toEqual({ instant: at('2026-11-01T07:00:00Z'), kind: 'exact' });
  });

  test('the predicates tell shifted and ambiguous local times apart from ordinary ones', () => {
    expect(isNonexistentLocalTime(local(2026, 3, 8, 2, 30), NY)).toBe(true);
    expect(isNonexistentLocalTime(local(2026, 3, 8, 3, 0), NY)).toBe(false);
    expect(isNonexistentLocalTime(local(2026, 3, 8, 2, 30), BERLIN)).toBe(false);
    expect(isAmbiguousLocalTime(local(2026, 11, 1, 1, 30), NY)).toBe(true);
    expect(isAmbiguousLocalTime(local(2026, 11, 1, 0, 59), NY)).toBe(false);
    expect(isAmbiguousLocalTime(local(2026, 11, 1, 2, 0), NY)).toBe(false);
    expect(isAmbiguousLocalTime(local(2026, 10, 25, 2, 0), BERLIN)).toBe(true);
  });
});

describe('instant → local time', () => {
  test('both occurrences of a repeated hour read as the same local time, with different offsets', () => {
    expect(instantToLocal(at('2026-11-01T05:30:00Z'), NY)).toMatchObject(local(2026, 11, 1, 1, 30));
    expect(instantToLocal(at('2026-11-01T06:30:00Z'), NY)).toMatchObject(local(2026, 11, 1, 1, 30));
    expect(zoneOffsetMs(at('2026-11-01T05:30:00Z'), NY)).toBe(-4 * 3_600_000);
    expect(zoneOffsetMs(at('2026-11-01T06:30:00Z'), NY)).toBe(-5 * 3_600_000);
  });

  test('the first instant after the gap reads as 03:00 daylight time', () => {
    expect(instantToLocal(at('2026-03-08T07:00:00Z'), NY)).toMatchObject(local(2026, 3, 8, 3, 0));
    expect(instantToLocal(at('2026-03-08T06:59:59Z'), NY)).toMatchObject(local(2026, 3, 8, 1, 59, 59));
    expect(instantToLocal(at('2026-03-08T06:59:59.250Z'), NY).millisecond).toBe(250);
  });

  test('offsets format with sign, hours and minutes', () => {
    expect(formatOffset(-4 * 3_600_000)).toBe('-04:00');
    expect(formatOffset(5.5 * 3_600_000)).toBe('+05:30');
    expect(formatOffset(0)).toBe('+00:00');
  });
});

test('time zones: IANA names and their ICU aliases are accepted, offsets and made-up names are not', () => {
  for (const zone of ['UTC', 'Etc/UTC', 'Etc/GMT+5', NY, BERLIN, 'Asia/Kolkata']) expect(isIanaTimeZone(zone), zone).toBe(true);
  for (const zone of ['Mars/Olympus', '+05:00', '-0500', '', 'America/Gotham', 'New York']) expect(isIanaTimeZone(zone), zone).toBe(false);
});

test('ISO date-times: an offset or Z is an instant, a naive time is local to the zone', () => {
  expect(parseDateTimeInZone('2026-01-15T09:00:00', NY)).toBe(at('2026-01-15T14:00:00Z'));
  expect(parseDateTimeInZone('2026-01-15 09:00', NY)).toBe(at('2026-01-15T14:00:00Z'));
  expect(parseDateTimeInZone('2026-01-15', NY)).toBe(at('2026-01-15T05:00:00Z'));
  expect(parseDateTimeInZone('2026-01-15T09:00:00Z', NY)).toBe(at('2026-01-15T09:00:00Z'));
  expect(parseDateTimeInZone('2026-01-15T09:00:00+01:00', NY)).toBe(at('2026-01-15T08:00:00Z'));
  expect(parseDateTimeInZone('2026-01-15T09:00:00.5-0230', 'UTC')).toBe(at('2026-01-15T11:30:00.500Z'));
  expect(parseDateTimeInZone('2026-03-08T02:30', NY)).toBe(at('2026-03-08T07:00:00Z'));
  expect(parseDateTimeInZone('2026-02-30T09:00:00', NY)).toBeNull();
  expect(parseDateTimeInZone('2026-01-15T24:00:00', NY)).toBeNull();
  expect(parseDateTimeInZone('next tuesday', NY)).toBeNull();
});
