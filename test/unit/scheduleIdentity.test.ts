import { expect, test } from 'vitest';
import { continuedSchedules } from '../../src/store/sqlite/scheduleIdentity.js';

const row = (id: string, schedule: string, slug: string | null = null) => ({ id, schedule, slug });
const key = (schedule: string, slug: string | null = null) => ({ schedule, slug });

test('a slug continues the schedule with that slug, whatever else changed', () => {
  expect(continuedSchedules([row('a', '{"cron":"0 6 * * *"}', 'morning')], [key('{"cron":"0 7 * * *"}', 'morning')])).toEqual(['a']);
  expect(continuedSchedules([row('a', '{"interval":60}', 'x')], [key('{"interval":60}', 'y')])).toEqual([null]);
});

test('without slugs: an identical schedule first, then the rest in order', () => {
  const old = [row('a', '{"interval":60}'), row('b', '{"interval":3600}')];
  // The hourly one is unchanged; the minutely one became every two minutes.
  expect(continuedSchedules(old, [key('{"interval":3600}'), key('{"interval":120}')])).toEqual(['b', 'a']);
  // A third schedule is new; a removed one is not continued.
  expect(continuedSchedules(old, [key('{"interval":3600}'), key('{"interval":120}'), key('{"interval":5}')])).toEqual(['b', 'a', null]);
  expect(continuedSchedules(old, [key('{"interval":60}')])).toEqual(['a']);
});

test('a slugged schedule never continues an unslugged one, nor the reverse', () => {
  expect(continuedSchedules([row('a', '{"interval":60}')], [key('{"interval":60}', 'named')])).toEqual([null]);
  expect(continuedSchedules([row('a', '{"interval":60}', 'named')], [key('{"interval":60}')])).toEqual([null]);
  expect(continuedSchedules([], [key('{"interval":60}')])).toEqual([null]);
});
