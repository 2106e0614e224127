/**
 * Schedule JSON, as Prefect's `schemas/schedules.py` shapes it (reference/prefect.md §2.6): exactly
 * one of interval, cron or rrule, snake_case, no extra keys. Every problem names the bad value and
 * what is wrong with it; the field is in the issue's path.
 */
import { z } from 'zod';
import { jsonObjectSchema, MAX_NAME_LENGTH, objectFields } from '../schemas/common.js';
import { parseCron } from './cron.js';
import { parseRecurrence } from './rruleText.js';
import { isIanaTimeZone, parseDateTimeInZone } from './zonedTime.js';

/** Longest interval accepted; longer ones would overflow date arithmetic and mean nothing anyway. */
export const MAX_INTERVAL_SECONDS = 100 * 366 * 86_400;

export const CATCHUP_POLICIES = ['all', 'latest', 'none'] as const;
export type CatchupPolicy = (typeof CATCHUP_POLICIES)[number];

/** A value in a message, shortened so one long rule does not flood it. */
function quoted(value: unknown): string {
  const text = String(value);
  return `'${text.length > 80 ? `${text.slice(0, 77)}...` : text}'`;
}

export const timeZoneSchema = z.string().refine(isIanaTimeZone, {
  error: (issue) => `${quoted(issue.input)} is not an IANA time zone (such as UTC or America/New_York)`,
});

/** ISO-8601; without `Z` or an offset it is a local time in the schedule's time zone. */
export const anchorDateSchema = z.string().refine((v) => parseDateTimeInZone(v, 'UTC') !== null, {
  error: (issue) => `${quoted(issue.input)} is not an ISO-8601 date-time such as 2026-01-31T09:00:00 or 2026-01-31T09:00:00Z`,
});

export const cronExpressionSchema = z.string().superRefine((value, ctx) => {
  const parsed = parseCron(value);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: `${quoted(value)} is invalid: ${parsed.error}` });
});

export const rruleTextSchema = z.string().superRefine((value, ctx) => {
  const parsed = parseRecurrence(value);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: `${quoted(value)} is invalid: ${parsed.error}` });
});

const optionalZone = timeZoneSchema.nullable().optional();

export const intervalScheduleSchema = z.strictObject({
  interval: z
    .number()
    .min(0.001, 'must be a number of seconds greater than 0 (at least 0.001)')
    .max(MAX_INTERVAL_SECONDS, `must be at most ${MAX_INTERVAL_SECONDS} seconds (100 years)`),
  anchor_date: anchorDateSchema.optional(),
  timezone: optionalZone,
});

export const cronScheduleSchema = z.strictObject({
  cron: cronExpressionSchema,
  timezone: optionalZone.transform((zone) => zone ?? 'UTC'),
  day_or: z.boolean().default(true),
});

/**
 * Without `timezone`, a DTSTART;TZID=… in the rule names the zone; else UTC. (`overwrite`, not
 * `transform`: a transform would turn a bad rule into a bare "Invalid input" inside the union.)
 */
export const rruleScheduleSchema = z
  .strictObject({
    rrule: rruleTextSchema,
    timezone: optionalZone,
  })
  .overwrite(({ rrule, timezone }) => ({ rrule, timezone: timezone ?? zoneOfDtstart(rrule) }));

function zoneOfDtstart(rrule: string): string {
  const parsed = parseRecurrence(rrule);
  const zone = parsed.ok ? parsed.value.dtstart?.zone : undefined;
  return zone === undefined || zone === 'floating' ? 'UTC' : zone;
}

const SHAPE_KEYS = ['interval', 'cron', 'rrule'] as const;

type BranchIssues = readonly (readonly { path: PropertyKey[]; message: string }[])[];

/**
 * The message when no shape matches, instead of zod's bare "Invalid input": which shape keys clash
 * or are missing, or, when the shape is clear, that shape's own problems. (zod reports a shape's
 * problems itself unless one of them is a wrong type, which makes it give up on every branch.)
 */
function shapeProblem(input: unknown, branches: BranchIssues): string {
  if (input === undefined) return 'Field required';
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return 'must be an object with one of interval, cron or rrule';
  }
  const present = SHAPE_KEYS.filter((k) => k in input);
  if (present.length > 1) return `has ${present.join(' and ')}: a schedule has exactly one of interval, cron or rrule`;
  if (present.length === 0) return 'must have one of interval, cron or rrule';
  const own = branches[SHAPE_KEYS.indexOf(present[0] as (typeof SHAPE_KEYS)[number])] ?? [];
  const described = own.map((i) => (i.path.length > 0 ? `${i.path.map(String).join('.')}: ${i.message}` : i.message));
  return described.length > 0 ? described.join('; ') : `is not a valid ${present[0]} schedule`;
}

export const scheduleSchema = z.union([intervalScheduleSchema, cronScheduleSchema, rruleScheduleSchema], {
  error: (issue) => (issue.code === 'invalid_union' ? shapeProblem(issue.input, (issue.errors ?? []) as BranchIssues) : undefined),
});

export type IntervalSchedule = z.output<typeof intervalScheduleSchema>;
export type CronSchedule = z.output<typeof cronScheduleSchema>;
export type RRuleSchedule = z.output<typeof rruleScheduleSchema>;
/** A validated schedule (defaults applied). */
export type Schedule = z.output<typeof scheduleSchema>;
/** A schedule as sent or stored; nextFireTimes accepts it and applies the same defaults. */
export type ScheduleInput = z.input<typeof scheduleSchema>;

const positiveIntOrNull = z.number().int('must be a whole number').min(1, 'must be at least 1 (or null for no limit)').nullable();
const slugSchema = z.string().min(1, 'must not be empty').max(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters`).nullable();

export const deploymentScheduleCreateSchema = z.strictObject({
  schedule: scheduleSchema,
  active: z.boolean().default(true),
  max_scheduled_runs: positiveIntOrNull.optional(),
  parameters: jsonObjectSchema.default({}),
  slug: slugSchema.optional(),
  catchup: z.enum(CATCHUP_POLICIES).default('latest'),
  max_active_runs: positiveIntOrNull.optional(),
  /** Prefect's: the slug of the schedule this one replaces (on a redeploy). */
  replaces: z.string().nullable().optional(),
});
export type DeploymentScheduleCreate = z.output<typeof deploymentScheduleCreateSchema>;

export const deploymentScheduleUpdateSchema = z.strictObject({
  schedule: scheduleSchema.optional(),
  active: z.boolean().optional(),
  max_scheduled_runs: positiveIntOrNull.optional(),
  parameters: jsonObjectSchema.optional(),
  slug: slugSchema.optional(),
  catchup: z.enum(CATCHUP_POLICIES).optional(),
  max_active_runs: positiveIntOrNull.optional(),
});
export type DeploymentScheduleUpdate = z.output<typeof deploymentScheduleUpdateSchema>;

/** A stored schedule as the API returns it (no checks or transforms: it documents, it does not validate). */
export const scheduleResponseSchema = z.union([
  z.object({ interval: z.number(), anchor_date: z.string().optional(), timezone: z.string().nullable().optional() }),
  z.object({ cron: z.string(), timezone: z.string().nullable().optional(), day_or: z.boolean().optional() }),
  z.object({ rrule: z.string(), timezone: z.string().nullable().optional() }),
]);

export const deploymentScheduleSchema = z.object({
  ...objectFields,
  deployment_id: z.string(),
  schedule: scheduleResponseSchema,
  active: z.boolean(),
  max_scheduled_runs: z.number().nullable(),
  parameters: jsonObjectSchema,
  slug: z.string().nullable(),
  catchup: z.enum(CATCHUP_POLICIES),
  max_active_runs: z.number().nullable(),
  /** baton's addition: when this schedule fires next (ISO-8601 UTC), null if never or paused. */
  next_fire_time: z.string().nullable(),
  /** baton's addition: why the scheduler makes no runs for this schedule (invalid parameters), else null. */
  last_error: z.string().nullable().optional(),
});
export type DeploymentSchedule = z.output<typeof deploymentScheduleSchema>;
