import { describe, expect, test } from 'vitest';
import { nextFireTime, nextFireTimes, scheduleTimeZone } from '../../../src/domain/schedules/nextFireTimes.js';
import { parseRecurrence } from '../../../src/domain/schedules/rruleText.js';

const NY = 'America/New_York';
const BERLIN = 'Europe/Berlin';
const at = (iso: string): number => Date.parse(iso);
const iso = (times: number[]): string[] => times.map((t) => new Date(t).toISOString().replace('.000Z', 'Z'));
const days = (times: number[]): string[] => iso(times).map((t) => t.slice(0, 10));
const next = (rrule: string, timezone: string, after: string, count: number) => iso(nextFireTimes({ rrule, timezone }, { after: at(after), count }));

describe('DST', () => {
  test('daily at 02:30 New York fires at 03:00 local on spring-forward day, once', () => {
    const expected = ['2026-03-07T07:30:00Z', '2026-03-08T07:00:00Z', '2026-03-09T06:30:00Z'];
    expect(next('RRULE:FREQ=DAILY;BYHOUR=2;BYMINUTE=30', NY, '2026-03-07T00:00:00Z', 3)).toEqual(expected);
    expect(next('DTSTART:20260301T023000\nRRULE:FREQ=DAILY', NY, '2026-03-07T00:00:00Z', 3)).toEqual(expected);
  });

  test('daily at 01:30 New York fires once on fall-back day, at the first occurrence', () => {
    expect(next('FREQ=DAILY;BYHOUR=1;BYMINUTE=30', NY, '2026-10-31T00:00:00Z', 3)).toEqual([
      '2026-10-31T05:30:00Z',
      '2026-11-01T05:30:00Z',
      '2026-11-02T06:30:00Z',
    ]);
  });

  test('daily at 02:30 Berlin across both 2026 transitions', () => {
    expect(next('FREQ=DAILY;BYHOUR=2;BYMINUTE=30', BERLIN, '2026-03-28T00:00:00Z', 3)).toEqual([
      '2026-03-28T01:30:00Z',
      '2026-03-29T01:00:00Z',
      '2026-03-30T00:30:00Z',
    ]);
    expect(next('FREQ=DAILY;BYHOUR=2;BYMINUTE=30', BERLIN, '2026-10-24T00:00:00Z', 3)).toEqual([
      '2026-10-24T00:30:00Z',
      '2026-10-25T00:30:00Z',
      '2026-10-26T01:30:00Z',
    ]);
  });

  test('hourly rules collapse the gap into one run and run the repeated hour once', () => {
    expect(next('FREQ=HOURLY;BYMINUTE=0', NY, '2026-03-08T05:30:00Z', 3)).toEqual(['2026-03-08T06:00:00Z', '2026-03-08T07:00:00Z', '2026-03-08T08:00:00Z']);
    expect(next('FREQ=HOURLY;BYMINUTE=0', NY, '2026-11-01T03:30:00Z', 3)).toEqual(['2026-11-01T04:00:00Z', '2026-11-01T05:00:00Z', '2026-11-01T07:00:00Z']);
  });

  test('a DTSTART with TZID names the zone when timezone is left out', () => {
    const rrule = 'DTSTART;TZID=Europe/Berlin:20260101T090000\nRRULE:FREQ=DAILY';
    expect(scheduleTimeZone({ rrule })).toBe(BERLIN);
    expect(iso(nextFireTimes({ rrule }, { after: at('2026-07-01T00:00:00Z'), count: 1 }))).toEqual(['2026-07-01T07:00:00Z']);
  });

  test('a DTSTART in UTC (Z) is that instant, read in the schedule zone', () => {
    // 14:00Z is 09:00 EST; the rule then repeats at 09:00 New York time.
    expect(next('DTSTART:20260105T140000Z\nRRULE:FREQ=DAILY', NY, '2026-07-01T00:00:00Z', 1)).toEqual(['2026-07-01T13:00:00Z']);
  });
});

describe('rule parts', () => {
  test('BYDAY weekly', () => {
    expect(next('DTSTART:20260101T090000\nRRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR', BERLIN, '2026-01-01T00:00:00Z', 4)).toEqual([
      '2026-01-02T08:00:00Z',
      '2026-01-05T08:00:00Z',
      '2026-01-07T08:00:00Z',
      '2026-01-09T08:00:00Z',
    ]);
  });

  test('last Friday of the month (BYDAY=-1FR) and last weekday (BYSETPOS=-1)', () => {
    expect(days(nextFireTimes({ rrule: 'FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=9', timezone: 'UTC' }, { after: at('2026-01-01T00:00:00Z'), count: 4 }))).toEqual([
      '2026-01-30',
      '2026-02-27',
      '2026-03-27',
      '2026-04-24',
    ]);
    const lastWeekday = 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;BYHOUR=17;BYMINUTE=0';
    expect(days(nextFireTimes({ rrule: lastWeekday, timezone: 'UTC' }, { after: at('2026-01-01T00:00:00Z'), count: 4 }))).toEqual([
      '2026-01-30',
      '2026-02-27',
      '2026-03-31',
      '2026-04-30',
    ]);
  });

  test('BYMONTHDAY=31 skips short months; BYMONTH with BYMONTHDAY=29 fires in leap years', () => {
    expect(days(nextFireTimes({ rrule: 'FREQ=MONTHLY;BYMONTHDAY=31', timezone: 'UTC' }, { after: at('2026-01-01T00:00:00Z'), count: 3 }))).toEqual([
      '2026-01-31',
      '2026-03-31',
      '2026-05-31',
    ]);
    expect(days(nextFireTimes({ rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', timezone: 'UTC' }, { after: at('2026-01-01T00:00:00Z'), count: 2 }))).toEqual([
      '2028-02-29',
      '2032-02-29',
    ]);
  });

  test('MINUTELY with INTERVAL', () => {
    expect(next('DTSTART:20260101T000000\nRRULE:FREQ=MINUTELY;INTERVAL=20', 'UTC', '2026-04-01T10:05:00Z', 3)).toEqual([
      '2026-04-01T10:20:00Z',
      '2026-04-01T10:40:00Z',
      '2026-04-01T11:00:00Z',
    ]);
  });

  test('COUNT ends the series, counted from DTSTART', () => {
    expect(next('DTSTART:20260101T090000\nRRULE:FREQ=DAILY;COUNT=3', 'UTC', '2026-01-01T12:00:00Z', 5)).toEqual(['2026-01-02T09:00:00Z', '2026-01-03T09:00:00Z']);
  });

  test('UNTIL is inclusive; with Z it is an instant, without it a local time', () => {
    expect(next('DTSTART:20260101T090000\nRRULE:FREQ=DAILY;UNTIL=20260103T090000', NY, '2026-01-01T00:00:00Z', 5)).toEqual([
      '2026-01-01T14:00:00Z',
      '2026-01-02T14:00:00Z',
      '2026-01-03T14:00:00Z',
    ]);
    // 20260103T140000Z is 09:00 EST on the 3rd, so the 3rd is still included; 13:59Z would not be.
    expect(next('DTSTART:20260101T090000\nRRULE:FREQ=DAILY;UNTIL=20260103T140000Z', NY, '2026-01-01T00:00:00Z', 5)).toHaveLength(3);
    expect(next('DTSTART:20260101T090000\nRRULE:FREQ=DAILY;UNTIL=20260103T135900Z', NY, '2026-01-01T00:00:00Z', 5)).toHaveLength(2);
  });

  test('EXDATE removes occurrences and RDATE adds them', () => {
    const rule = 'DTSTART:20260101T090000\nRRULE:FREQ=DAILY;COUNT=4\nEXDATE:20260102T090000,20260103T090000\nRDATE:20260110T120000';
    expect(next(rule, 'UTC', '2025-12-31T00:00:00Z', 10)).toEqual(['2026-01-01T09:00:00Z', '2026-01-04T09:00:00Z', '2026-01-10T12:00:00Z']);
    const zoned = 'DTSTART;TZID=America/New_York:20260101T090000\nRRULE:FREQ=DAILY\nEXDATE;TZID=America/New_York:20260102T090000';
    expect(iso(nextFireTimes({ rrule: zoned }, { after: at('2026-01-01T12:00:00Z'), count: 2 }))).toEqual(['2026-01-01T14:00:00Z', '2026-01-03T14:00:00Z']);
  });

  test('two RRULE lines merge in time order', () => {
    const rule = 'DTSTART:20260101T000000\nRRULE:FREQ=DAILY;BYHOUR=18\nRRULE:FREQ=DAILY;BYHOUR=6';
    expect(next(rule, 'UTC', '2026-02-01T00:00:00Z', 4)).toEqual(['2026-02-01T06:00:00Z', '2026-02-01T18:00:00Z', '2026-02-02T06:00:00Z', '2026-02-02T18:00:00Z']);
  });

  test('a bare rule starts at 2020-01-01T00:00 local: every 5 hours counts from there', () => {
    // 2192 days (52 608 h) from 2020-01-01 to 2026-01-01; the next multiple of 5 is 52 610 h.
    expect(next('FREQ=HOURLY;INTERVAL=5', 'UTC', '2026-01-01T00:00:00Z', 2)).toEqual(['2026-01-01T02:00:00Z', '2026-01-01T07:00:00Z']);
    expect(next('FREQ=DAILY', NY, '2026-01-10T12:00:00Z', 1)).toEqual(['2026-01-11T05:00:00Z']);
  });
});

describe('an old DTSTART is fast-forwarded without changing the answer', () => {
  // COUNT makes the generator walk from DTSTART; without it, DTSTART moves close to `after`.
  // Both must agree.
  test.each([
    ['DTSTART:20200115T093000\nRRULE:FREQ=DAILY;INTERVAL=3', BERLIN],
    ['DTSTART:20200131T080000\nRRULE:FREQ=MONTHLY', NY],
    ['DTSTART:20200131T080000\nRRULE:FREQ=MONTHLY;INTERVAL=5;BYDAY=MO,FR;BYSETPOS=1,-1', 'UTC'],
    ['DTSTART:20200229T120000\nRRULE:FREQ=YEARLY;INTERVAL=2', 'UTC'],
    ['DTSTART:20200108T070000\nRRULE:FREQ=WEEKLY;INTERVAL=3;BYDAY=TU,SA;WKST=SU', NY],
    ['DTSTART:20200101T000000\nRRULE:FREQ=YEARLY;BYWEEKNO=1,20;BYDAY=MO', 'UTC'],
    ['DTSTART:20200101T010700\nRRULE:FREQ=HOURLY;INTERVAL=7;BYMINUTE=7,37', NY],
    ['DTSTART:20260101T000000\nRRULE:FREQ=MINUTELY;INTERVAL=13', 'UTC'],
  ])('%s (%s)', (rule, timezone) => {
    const after = at('2026-02-20T10:00:00Z');
    const walked = nextFireTimes({ rrule: `${rule};COUNT=100000`, timezone }, { after, count: 12 });
    const jumped = nextFireTimes({ rrule: rule, timezone }, { after, count: 12 });
    expect(jumped).toHaveLength(12);
    expect(iso(jumped)).toEqual(iso(walked));
  });
});

describe('rules that never fire, or only rarely', () => {
  test('30 February never comes: nothing, whatever the frequency', () => {
    expect(nextFireTimes({ rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', timezone: 'UTC' }, { after: at('2026-01-01T00:00:00Z'), count: 3 })).toEqual([]);
    expect(nextFireTimes({ rrule: 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30', timezone: 'UTC' }, { after: at('2026-01-01T00:00:00Z'), count: 3 })).toEqual([]);
    expect(nextFireTime({ rrule: 'FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30', timezone: 'UTC' }, at('2026-01-01T00:00:00Z'))).toBeNull();
  });

  test('a rule whose periods never yield (BYSETPOS past the one candidate) stops instead of walking to 9999', () => {
    expect(nextFireTimes({ rrule: 'FREQ=MINUTELY;BYSETPOS=2', timezone: 'UTC' }, { after: at('2026-01-01T00:00:00Z'), count: 3 })).toEqual([]);
  });

  test('a daily rule that matches one day a year is still found, year after year', () => {
    expect(days(nextFireTimes({ rrule: 'FREQ=DAILY;BYMONTH=1;BYMONTHDAY=1', timezone: 'UTC' }, { after: at('2026-06-01T00:00:00Z'), count: 3 }))).toEqual([
      '2027-01-01',
      '2028-01-01',
      '2029-01-01',
    ]);
  });

  test('a finished series returns nothing', () => {
    expect(nextFireTimes({ rrule: 'DTSTART:20200101T000000\nRRULE:FREQ=DAILY;COUNT=2', timezone: 'UTC' }, { after: at('2026-01-01T00:00:00Z'), count: 3 })).toEqual([]);
  });
});

describe('parsing', () => {
  test.each([
    ['FREQ=SOMETIMES', 'FREQ=SOMETIMES is not one of YEARLY, MONTHLY, WEEKLY, DAILY, HOURLY, MINUTELY, SECONDLY'],
    ['RRULE:INTERVAL=2', 'the rule has no FREQ'],
    ['RRULE:FREQ=DAILY;BYHOUR=24', 'BYHOUR value 24 is out of range 0-23'],
    ['RRULE:FREQ=DAILY;BYMONTHDAY=0', 'BYMONTHDAY value 0 is out of range 1 to 31 or -31 to -1'],
    ['RRULE:FREQ=DAILY;COUNT=2;UNTIL=20260101T000000Z', 'COUNT and UNTIL cannot both be given'],
    ['RRULE:FREQ=DAILY;COUNT=0', 'COUNT=0 must be a whole number of at least 1'],
    ['RRULE:FREQ=DAILY;BYDAY=1MO', 'BYDAY with a number (such as 1MO) needs FREQ=MONTHLY or FREQ=YEARLY'],
    ['RRULE:FREQ=DAILY;BYDAY=XX', "BYDAY=XX is not one of MO, TU, WE, TH, FR, SA, SU"],
    ['RRULE:FREQ=DAILY;FOO=1', 'unknown rule part FOO'],
    ['RRULE:FREQ=DAILY;FREQ=WEEKLY', 'FREQ is given more than once'],
    ['DTSTART:20260230T090000\nRRULE:FREQ=DAILY', "DTSTART '20260230T090000' is not a real date and time"],
    ['DTSTART;TZID=Mars/Olympus:20260101T090000\nRRULE:FREQ=DAILY', "DTSTART TZID 'Mars/Olympus' is not an IANA time zone"],
    ['DTSTART:tomorrow\nRRULE:FREQ=DAILY', "DTSTART 'tomorrow' is not a date"],
    ['DTSTART:20260101T090000', 'it has no RRULE'],
    ['EXRULE:FREQ=DAILY', 'EXRULE is deprecated'],
    ['VEVENT:x\nRRULE:FREQ=DAILY', 'unsupported line VEVENT'],
    ['every day', "line 'every day' is neither NAME:VALUE nor a rule"],
    [`RRULE:FREQ=DAILY;BYHOUR=${'1,'.repeat(3300)}1`, 'longer than 6500 characters'],
  ])('%s is refused', (text, message) => {
    const parsed = parseRecurrence(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(message);
  });

  test('folded lines, lower-case names, CRLF and a bare rule are accepted', () => {
    const parsed = parseRecurrence('DTSTART:20260101T090000\r\nrrule:FREQ=WEEKLY;\r\n BYDAY=mo,fr');
    expect(parsed.ok && parsed.value.rules[0]?.byday).toEqual([
      { weekday: 0, n: null },
      { weekday: 4, n: null },
    ]);
    expect(parseRecurrence('FREQ=MONTHLY;BYDAY=-1FR').ok).toBe(true);
  });

  test('an invalid rule given without validation throws a clear error', () => {
    expect(() => nextFireTimes({ rrule: 'FREQ=SOMETIMES', timezone: 'UTC' }, { after: 0, count: 1 })).toThrow('rrule is invalid: FREQ=SOMETIMES');
  });
});
