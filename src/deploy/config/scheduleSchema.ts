import { z } from 'zod';
import { parseIsoDateTime } from '../../domain/schemas/common.js';
import { parseIntervalSeconds } from './duration.js';
import { describeValue, strictObject } from './zodProblems.js';

/**
 * One item of a deployment's `schedules:`. Only shapes and types are checked here; whether a cron
 * expression, an rrule or a time zone means something is decided by the schedules module when the
 * deployment is applied.
 */

const nonEmpty = z.string().min(1, 'must not be empty');

const intervalSchema = z.unknown().transform((value, ctx) => {
  const seconds = parseIntervalSeconds(value);
  if (seconds === null) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a number of seconds > 0 (or an ISO-8601 duration such as PT1H, or HH:MM:SS), got ${describeValue(value)}`,
      input: value,
    });
    return z.NEVER;
  }
  return seconds;
});

const anchorDateSchema = z.unknown().transform((value, ctx) => {
  if (typeof value === 'string' && parseIsoDateTime(value) !== null) return value;
  ctx.addIssue({ code: 'custom', message: `expected an ISO-8601 date-time such as 2026-01-01T00:00:00Z, got ${describeValue(value)}`, input: value });
  return z.NEVER;
});

const positiveInt = z.number().int('must be a whole number').min(1, 'must be a whole number ≥ 1');

const kindFields = {
  cron: nonEmpty.optional(),
  /** Seconds, whatever form it was written in. */
  interval: intervalSchema.optional(),
  rrule: nonEmpty.optional(),
};

const commonFields = {
  timezone: nonEmpty.nullish(),
  /** Interval schedules only: the instant the intervals count from. Kept as written. */
  anchor_date: anchorDateSchema.optional(),
  /** Cron schedules only: false ANDs day-of-month with day-of-week (Prefect's `day_or`). */
  day_or: z.boolean().optional(),
  active: z.boolean().optional(),
  /** baton: which missed runs to make up after downtime. */
  catchup: z.enum(['all', 'latest', 'none']).optional(),
  /** baton: at most this many runs from this schedule at once. */
  max_active_runs: positiveInt.optional(),
  /** At most this many upcoming runs created ahead for this schedule. */
  max_scheduled_runs: positiveInt.optional(),
  /** Overrides of the deployment's parameters for runs from this schedule. */
  parameters: z.record(z.string(), z.unknown()).optional(),
  slug: nonEmpty.optional(),
};

const KINDS = ['cron', 'interval', 'rrule'] as const;

export const scheduleSchema = strictObject({ ...kindFields, ...commonFields }).superRefine(
  (schedule, ctx) => {
    if (typeof schedule !== 'object' || schedule === null) return;
    const present = KINDS.filter((k) => (schedule as Record<string, unknown>)[k] !== undefined);
    if (present.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          present.length === 0
            ? 'a schedule needs one of cron, interval or rrule'
            : `a schedule has exactly one of cron, interval or rrule; found ${present.join(' and ')} (make them separate schedules)`,
        input: schedule,
      });
      return;
    }
    if (schedule.anchor_date !== undefined && present[0] !== 'interval') {
      ctx.addIssue({ code: 'custom', path: ['anchor_date'], message: 'applies to interval schedules only', input: schedule.anchor_date });
    }
    if (schedule.day_or !== undefined && present[0] !== 'cron') {
      ctx.addIssue({ code: 'custom', path: ['day_or'], message: 'applies to cron schedules only', input: schedule.day_or });
    }
  },
  // Run even when a field has the wrong type, so every problem is reported in one go.
  { when: () => true },
);

type Common = Omit<z.infer<typeof scheduleSchema>, (typeof KINDS)[number] | 'anchor_date' | 'day_or'>;

/** A schedule item, by kind: exactly one of `cron`, `interval` (seconds) or `rrule` is set. */
export type ScheduleConfig =
  | (Common & { cron: string; day_or?: boolean })
  | (Common & { interval: number; anchor_date?: string })
  | (Common & { rrule: string });

/** The schedule list; a legacy single `schedule:` mapping is turned into one item by the caller. */
export const schedulesSchema = z.array(scheduleSchema.transform((s) => s as ScheduleConfig));
