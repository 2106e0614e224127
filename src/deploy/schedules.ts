import { deploymentScheduleCreateSchema, type DeploymentScheduleCreate } from '../domain/schedules/schema.js';
import { isIanaTimeZone } from '../domain/schedules/zonedTime.js';
import type { PathSegment } from './config/problems.js';
import type { ScheduleConfig } from './config/scheduleSchema.js';
import type { DeployProblem } from './problems.js';
import type { ScheduleSpec } from './spec.js';

/**
 * A baton.yaml (or `--cron`…) schedule in the API's shape: `{schedule: {cron|interval|rrule,
 * timezone, …}, active, parameters, slug, catchup, max_active_runs, max_scheduled_runs}`. Only what was written is
 * sent; the server's defaults fill in the rest, the same way on every deploy.
 */
export function scheduleBody(c: ScheduleConfig): Record<string, unknown> {
  const zone = c.timezone !== undefined && c.timezone !== null ? { timezone: c.timezone } : {};
  let schedule: Record<string, unknown>;
  if ('cron' in c && c.cron !== undefined) schedule = { cron: c.cron, ...zone, ...(c.day_or !== undefined ? { day_or: c.day_or } : {}) };
  else if ('interval' in c && c.interval !== undefined) schedule = { interval: c.interval, ...zone, ...(c.anchor_date !== undefined ? { anchor_date: c.anchor_date } : {}) };
  else schedule = { rrule: (c as { rrule: string }).rrule, ...zone };
  return {
    schedule,
    ...(c.active !== undefined ? { active: c.active } : {}),
    ...(c.parameters !== undefined ? { parameters: c.parameters } : {}),
    ...(c.slug !== undefined ? { slug: c.slug } : {}),
    ...(c.catchup !== undefined ? { catchup: c.catchup } : {}),
    ...(c.max_active_runs !== undefined ? { max_active_runs: c.max_active_runs } : {}),
    ...(c.max_scheduled_runs !== undefined ? { max_scheduled_runs: c.max_scheduled_runs } : {}),
  };
}

/**
 * Checks schedules as the server will (a cron expression that parses, a real time zone, an rrule
 * that fires), reporting each problem where the schedule was written. Returns them validated,
 * with the server's defaults applied, so they compare equal to what the server stores.
 */
export function checkSchedules(specs: readonly ScheduleSpec[]): { schedules: DeploymentScheduleCreate[]; problems: DeployProblem[] } {
  const schedules: DeploymentScheduleCreate[] = [];
  const problems: DeployProblem[] = [];
  for (const spec of specs) {
    const parsed = deploymentScheduleCreateSchema.safeParse(scheduleBody(spec.config));
    if (parsed.success) {
      schedules.push(parsed.data);
      continue;
    }
    for (const issue of parsed.error.issues) {
      // `schedule.cron` in the API is `cron` in baton.yaml.
      const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)) as PathSegment[];
      const yamlPath = path[0] === 'schedule' ? path.slice(1) : path;
      problems.push({
        origin: spec.origin,
        ...(spec.origin.kind === 'yaml' && yamlPath.length > 0 ? { subpath: yamlPath } : {}),
        message: issue.message,
      });
    }
  }
  return { schedules, problems };
}

export interface DescribableSchedule {
  schedule: Record<string, unknown>;
  active?: boolean | undefined;
  parameters?: Record<string, unknown> | undefined;
  slug?: string | null | undefined;
  catchup?: string | undefined;
  max_active_runs?: number | null | undefined;
  max_scheduled_runs?: number | null | undefined;
}

/** What is wrong with one schedule (every problem, joined), or null: for validating a prompt's answer. */
export function scheduleProblem(config: ScheduleConfig): string | null {
  const { problems } = checkSchedules([{ config, origin: { kind: 'wizard' } }]);
  return problems.length === 0 ? null : problems.map((p) => p.message).join('; ');
}

export function isTimeZone(name: string): boolean {
  return isIanaTimeZone(name);
}

/** The machine's IANA time zone, else UTC: what a person at this terminal most likely means. */
export function localTimeZone(): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone && isIanaTimeZone(zone) ? zone : 'UTC';
}

/** `cron 0 6 * * * (Europe/Berlin)`, `interval 3600s`, `rrule FREQ=DAILY (UTC), inactive`: one line for a diff. */
export function describeSchedule(s: DescribableSchedule): string {
  const body = s.schedule;
  const zone = typeof body.timezone === 'string' ? ` (${body.timezone})` : '';
  let text: string;
  if (typeof body.cron === 'string') text = `cron ${body.cron}${zone}${body.day_or === false ? ', day_or false' : ''}`;
  else if (typeof body.interval === 'number') text = `interval ${body.interval}s${zone}${typeof body.anchor_date === 'string' ? ` from ${body.anchor_date}` : ''}`;
  else text = `rrule ${String(body.rrule)}${zone}`;
  const extras: string[] = [];
  if (s.slug) extras.push(`slug ${s.slug}`);
  if (s.active === false) extras.push('inactive');
  if (s.parameters && Object.keys(s.parameters).length > 0) extras.push(`parameters ${JSON.stringify(s.parameters)}`);
  if (s.catchup && s.catchup !== 'latest') extras.push(`catchup ${s.catchup}`);
  if (s.max_active_runs) extras.push(`max_active_runs ${s.max_active_runs}`);
  if (s.max_scheduled_runs) extras.push(`max_scheduled_runs ${s.max_scheduled_runs}`);
  return extras.length > 0 ? `${text}, ${extras.join(', ')}` : text;
}
