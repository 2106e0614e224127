import { expect, test } from 'vitest';
import { nextFireSlots } from '../../../src/domain/schedules/nextFireTimes.js';
import { formatUtc, previewRows } from '../../../src/domain/schedules/preview.js';

const NY = 'America/New_York';
const at = (iso: string): number => Date.parse(iso);
const rows = (schedule: Parameters<typeof nextFireSlots>[0], after: string, count: number) =>
  previewRows(nextFireSlots(schedule, { after: at(after), count }), NY, at(after)).map((r) => [r.index, r.utc, r.local, r.note]);

test('a local time that does not exist is flagged with where it moved', () => {
  expect(rows({ cron: '30 2 * * *', timezone: NY }, '2026-03-07T00:00:00Z', 3)).toEqual([
    [1, '2026-03-07T07:30:00Z', 'Sat 2026-03-07 02:30:00 -05:00', ''],
    [2, '2026-03-08T07:00:00Z', 'Sun 2026-03-08 03:00:00 -04:00', 'DST starts: 02:30 does not exist, moved to 03:00'],
    [3, '2026-03-09T06:30:00Z', 'Mon 2026-03-09 02:30:00 -04:00', ''],
  ]);
});

test('a repeated local time is flagged, and so is the first slot with the new offset', () => {
  expect(rows({ cron: '*/30 * * * *', timezone: NY }, '2026-11-01T04:45:00Z', 4)).toEqual([
    [1, '2026-11-01T05:00:00Z', 'Sun 2026-11-01 01:00:00 -04:00', 'DST ends: 01:00 occurs twice, first kept'],
    [2, '2026-11-01T05:30:00Z', 'Sun 2026-11-01 01:30:00 -04:00', 'DST ends: 01:30 occurs twice, first kept'],
    [3, '2026-11-01T07:00:00Z', 'Sun 2026-11-01 02:00:00 -05:00', 'offset changes to -05:00'],
    [4, '2026-11-01T07:30:00Z', 'Sun 2026-11-01 02:30:00 -05:00', ''],
  ]);
});

test('fixed UTC steps only note the offset change, compared with the start for the first row', () => {
  expect(rows({ interval: 3600, anchor_date: '2026-01-01T00:00:00Z', timezone: NY }, '2026-03-08T05:30:00Z', 2)).toEqual([
    [1, '2026-03-08T06:00:00Z', 'Sun 2026-03-08 01:00:00 -05:00', ''],
    [2, '2026-03-08T07:00:00Z', 'Sun 2026-03-08 03:00:00 -04:00', 'offset changes to -04:00'],
  ]);
  expect(rows({ interval: 3600, anchor_date: '2026-01-01T00:00:00Z', timezone: NY }, '2026-03-08T06:30:00Z', 1)[0]?.[3]).toBe('offset changes to -04:00');
});

test('UTC times drop zero milliseconds only', () => {
  expect(formatUtc(at('2026-01-01T00:00:00Z'))).toBe('2026-01-01T00:00:00Z');
  expect(formatUtc(at('2026-01-01T00:00:00.250Z'))).toBe('2026-01-01T00:00:00.250Z');
});
