import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import {
  deploymentScheduleCreateSchema,
  deploymentScheduleSchema,
  deploymentScheduleUpdateSchema,
  scheduleSchema,
} from '../../../src/domain/schedules/schema.js';

/** Every problem as `path: message`, the way the API and the CLI report them. */
function problems(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('valid schedules get their defaults', () => {
  test('cron: timezone UTC, day_or true', () => {
    expect(scheduleSchema.parse({ cron: '0 9 * * MON-FRI' })).toEqual({ cron: '0 9 * * MON-FRI', timezone: 'UTC', day_or: true });
    expect(scheduleSchema.parse({ cron: '@daily', timezone: null, day_or: false })).toEqual({ cron: '@daily', timezone: 'UTC', day_or: false });
  });

  test('interval: kept as given (no timezone invented)', () => {
    expect(scheduleSchema.parse({ interval: 3600, anchor_date: '2026-01-01T09:00:00', timezone: 'Europe/Berlin' })).toEqual({
      interval: 3600,
      anchor_date: '2026-01-01T09:00:00',
      timezone: 'Europe/Berlin',
    });
    expect(scheduleSchema.parse({ interval: 0.5 })).toEqual({ interval: 0.5 });
  });

  test('rrule: timezone from DTSTART;TZID, else UTC; an explicit one wins', () => {
    const rrule = 'DTSTART;TZID=America/New_York:20260101T090000\nRRULE:FREQ=DAILY';
    expect(scheduleSchema.parse({ rrule })).toEqual({ rrule, timezone: 'America/New_York' });
    expect(scheduleSchema.parse({ rrule, timezone: 'Europe/Berlin' })).toEqual({ rrule, timezone: 'Europe/Berlin' });
    expect(scheduleSchema.parse({ rrule: 'FREQ=DAILY' })).toEqual({ rrule: 'FREQ=DAILY', timezone: 'UTC' });
  });
});

describe('invalid schedules say which field and what is wrong', () => {
  test('an unknown time zone', () => {
    expect(problems(scheduleSchema, { cron: '* * * * *', timezone: 'Mars/Olympus' })).toEqual([
      "timezone: 'Mars/Olympus' is not an IANA time zone (such as UTC or America/New_York)",
    ]);
    expect(problems(scheduleSchema, { interval: 60, timezone: '+02:00' })).toEqual([
      "timezone: '+02:00' is not an IANA time zone (such as UTC or America/New_York)",
    ]);
  });

  test('a bad cron expression', () => {
    expect(problems(scheduleSchema, { cron: '61 * * * *' })).toEqual(["cron: '61 * * * *' is invalid: minute 61 is out of range 0-59"]);
  });

  test('a bad rrule', () => {
    expect(problems(scheduleSchema, { rrule: 'RRULE:FREQ=DAILY;BYHOUR=25' })).toEqual([
      "rrule: 'RRULE:FREQ=DAILY;BYHOUR=25' is invalid: BYHOUR value 25 is out of range 0-23",
    ]);
  });

  test('a bad interval or anchor_date', () => {
    expect(problems(scheduleSchema, { interval: 0 })).toEqual(['interval: must be a number of seconds greater than 0 (at least 0.001)']);
    expect(problems(scheduleSchema, { interval: '60' })).toEqual([': interval: Invalid input: expected number, received string']);
    expect(problems(scheduleSchema, { cron: 5, timezone: 'Nowhere' })).toEqual([
      ": cron: Invalid input: expected string, received number; timezone: 'Nowhere' is not an IANA time zone (such as UTC or America/New_York)",
    ]);
    expect(problems(scheduleSchema, { interval: 60, anchor_date: '2026-02-30T00:00:00' })).toEqual([
      "anchor_date: '2026-02-30T00:00:00' is not an ISO-8601 date-time such as 2026-01-31T09:00:00 or 2026-01-31T09:00:00Z",
    ]);
  });

  test('extra keys are refused', () => {
    expect(problems(scheduleSchema, { cron: '* * * * *', anchor_date: '2026-01-01T00:00:00Z' })).toEqual([': Unrecognized key: "anchor_date"']);
    expect(problems(scheduleSchema, { rrule: 'FREQ=DAILY', day_or: true })).toEqual([': Unrecognized key: "day_or"']);
  });

  test('two shapes at once, none, or not an object', () => {
    expect(problems(scheduleSchema, { cron: '* * * * *', interval: 60 })).toEqual([
      ': has interval and cron: a schedule has exactly one of interval, cron or rrule',
    ]);
    expect(problems(scheduleSchema, { cron: '* * * * *', rrule: 'FREQ=DAILY', interval: 60 })).toEqual([
      ': has interval and cron and rrule: a schedule has exactly one of interval, cron or rrule',
    ]);
    expect(problems(scheduleSchema, { timezone: 'UTC' })).toEqual([': must have one of interval, cron or rrule']);
    expect(problems(scheduleSchema, '0 9 * * *')).toEqual([': must be an object with one of interval, cron or rrule']);
  });
});

describe('deployment schedules', () => {
  test('create applies Prefect defaults and accepts replaces', () => {
    expect(deploymentScheduleCreateSchema.parse({ schedule: { interval: 60 }, replaces: 'old-slug' })).toEqual({
      schedule: { interval: 60 },
      active: true,
      parameters: {},
      catchup: 'latest',
      replaces: 'old-slug',
    });
  });

  test('create refuses bad limits, catch-up policies and extra keys, with the path to each', () => {
    expect(
      problems(deploymentScheduleCreateSchema, {
        schedule: { cron: '0 9 * * *', timezone: 'Nowhere' },
        max_scheduled_runs: 0,
        max_active_runs: 1.5,
        catchup: 'some',
        colour: 'blue',
      }),
    ).toEqual([
      "schedule.timezone: 'Nowhere' is not an IANA time zone (such as UTC or America/New_York)",
      'max_scheduled_runs: must be at least 1 (or null for no limit)',
      'catchup: Invalid option: expected one of "all"|"latest"|"none"',
      'max_active_runs: must be a whole number',
      ': Unrecognized key: "colour"',
    ]);
    expect(problems(deploymentScheduleCreateSchema, {})).toEqual(['schedule: Field required']);
  });

  test('update: every field optional, nothing defaulted, still strict', () => {
    expect(deploymentScheduleUpdateSchema.parse({})).toEqual({});
    expect(deploymentScheduleUpdateSchema.parse({ active: false, max_active_runs: null })).toEqual({ active: false, max_active_runs: null });
    expect(problems(deploymentScheduleUpdateSchema, { paused: true })).toEqual([': Unrecognized key: "paused"']);
    expect(problems(deploymentScheduleUpdateSchema, { schedule: { cron: 'bad' } })).toEqual([
      "schedule.cron: 'bad' is invalid: a cron expression has 5 fields (minute hour day-of-month month day-of-week), this one has 1",
    ]);
  });

  test('the response schema describes a stored schedule and renders as JSON Schema for the docs', () => {
    const stored = {
      id: '0190c1d2-0000-7000-8000-000000000000',
      created: '2026-01-01T00:00:00.000Z',
      updated: '2026-01-01T00:00:00.000Z',
      deployment_id: '0190c1d2-0000-7000-8000-000000000001',
      schedule: { cron: '0 9 * * *', timezone: 'UTC', day_or: true },
      active: true,
      max_scheduled_runs: null,
      parameters: {},
      slug: null,
      catchup: 'latest',
      max_active_runs: null,
      next_fire_time: '2026-01-01T09:00:00.000Z',
    };
    expect(deploymentScheduleSchema.parse(stored)).toEqual(stored);
    const json = JSON.stringify(z.toJSONSchema(deploymentScheduleSchema, { io: 'output' }));
    expect(json).toContain('next_fire_time');
    expect(JSON.stringify(z.toJSONSchema(deploymentScheduleCreateSchema, { io: 'input' }))).toContain('"enum":["all","latest","none"]');
  });
});
