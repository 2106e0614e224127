import { parseIntervalSeconds } from '../../../deploy/config/duration.js';
import type { ScheduleConfig } from '../../../deploy/config/scheduleSchema.js';
import { isTimeZone, localTimeZone, scheduleProblem } from '../../../deploy/schedules.js';
import type { Prompts } from './wizardPrompts.js';

type Kind = 'interval' | 'cron' | 'rrule';

const DEFAULTS: Record<Kind, string> = { interval: '3600', cron: '0 0 * * *', rrule: 'RRULE:FREQ=DAILY;INTERVAL=1' };

/** Prefect's schedule questions: none by default; then kind, value, time zone, active, another? */
export async function askSchedules(p: Prompts): Promise<ScheduleConfig[]> {
  const schedules: ScheduleConfig[] = [];
  if (!(await p.confirm({ message: 'Would you like to configure a schedule?', default: false }))) return schedules;
  for (;;) {
    const kind = await p.select<Kind>({
      message: 'What type of schedule would you like to use?',
      choices: [
        { name: 'Interval', value: 'interval', description: 'every N seconds (e.g. 3600, PT1H or 01:00:00)' },
        { name: 'Cron', value: 'cron', description: 'a cron expression, e.g. 0 6 * * 1-5' },
        { name: 'RRule', value: 'rrule', description: 'an RFC 5545 rule, e.g. RRULE:FREQ=WEEKLY;BYDAY=MO' },
      ],
    });
    const value = (
      await p.input({
        message: kind === 'interval' ? 'Seconds between runs:' : kind === 'cron' ? 'Cron expression:' : 'Recurrence rule:',
        default: DEFAULTS[kind],
        validate: (v) => {
          if (kind === 'interval' && parseIntervalSeconds(v.trim()) === null) return 'Enter a number of seconds > 0 (or PT1H, or 01:00:00).';
          return scheduleProblem(build(kind, v.trim(), 'UTC')) ?? true;
        },
      })
    ).trim();
    const zone = (
      await p.input({
        message: 'Time zone of the schedule (IANA name):',
        default: localTimeZone(),
        validate: (v) => (isTimeZone(v.trim()) ? true : `'${v}' is not an IANA time zone (such as UTC or Europe/Berlin).`),
      })
    ).trim();
    const active = await p.confirm({ message: 'Would you like to activate this schedule?', default: true });
    schedules.push({ ...build(kind, value, zone), ...(active ? {} : { active: false }) });
    if (!(await p.confirm({ message: 'Would you like to add another schedule?', default: false }))) return schedules;
  }
}

function build(kind: Kind, value: string, timezone: string): ScheduleConfig {
  if (kind === 'interval') return { interval: parseIntervalSeconds(value) ?? 0, timezone };
  if (kind === 'cron') return { cron: value, timezone };
  return { rrule: value, timezone };
}
