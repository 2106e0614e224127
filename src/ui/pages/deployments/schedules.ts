import type { DeploymentSchedule } from '../../api/types';
import { duration } from '../../format/time';

/** One schedule in a few words: "every 1 h", "cron 0 9 * * 1-5 (Europe/Paris)". */
export function describeSchedule(s: DeploymentSchedule['schedule']): string {
  const zone = s.timezone ? ` (${s.timezone})` : '';
  if ('interval' in s) return `every ${duration(s.interval)}${zone}`;
  if ('cron' in s) return `cron ${s.cron}${zone}`;
  return `rrule ${s.rrule.replace(/\n/g, ' ')}${zone}`;
}

/** The list page's summary: the active schedules, or why there are none. */
export function summarizeSchedules(schedules: DeploymentSchedule[]): string {
  if (schedules.length === 0) return 'None';
  const active = schedules.filter((s) => s.active);
  if (active.length === 0) return `${schedules.length} inactive`;
  const first = active[0];
  const rest = active.length > 1 ? ` +${active.length - 1} more` : '';
  return first ? `${describeSchedule(first.schedule)}${rest}` : 'None';
}
