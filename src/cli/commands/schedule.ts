import type { Command } from 'commander';
import { BadRequestError } from '../../domain/errors.js';
import { toIso } from '../../domain/time.js';
import { color, printJson, println, printTable, wantsJson } from '../output.js';
import { positiveInt } from '../parse.js';

interface PreviewOptions {
  cron?: string;
  interval?: string;
  rrule?: string;
  timezone?: string;
  anchorDate?: string;
  dayOr?: boolean;
  from?: string;
  count: number;
  output?: string;
}

/** Schedule fields → the flag that sets them, so a problem names what the user typed. */
const FLAGS: Record<string, string> = {
  cron: '--cron',
  interval: '--interval',
  rrule: '--rrule',
  timezone: '--timezone',
  anchor_date: '--anchor-date',
  day_or: '--day-or',
};

const MAX_COUNT = 1000;

const DST_POLICY =
  'DST policy: a local time that does not exist runs at the first instant after the gap; one that occurs twice runs once, at its first occurrence.';

export function registerSchedule(program: Command): void {
  const group = program.command('schedule').description('Check a schedule before you deploy it');
  group
    .command('preview')
    .description('Show when a schedule fires, in UTC and in its time zone, with DST changes flagged')
    .option('--cron <expr>', "a cron expression, e.g. '0 9 * * MON-FRI' or @daily")
    .option('--interval <seconds>', 'a fixed interval in seconds, e.g. 3600')
    .option('--rrule <rule>', "an RFC 5545 rule, e.g. 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9'")
    .option('--timezone <tz>', 'IANA time zone, e.g. America/New_York (default UTC)')
    .option('--anchor-date <time>', 'with --interval: a time the intervals count from (without Z or an offset, local to --timezone)')
    .option('--day-or', 'with --cron: fire when day-of-month OR day-of-week matches (the default)')
    .option('--no-day-or', 'with --cron: fire only when day-of-month AND day-of-week match')
    .option('--from <time>', 'list fire times at or after this ISO-8601 time (without Z or an offset, local to --timezone; default now)')
    .option('--count <n>', `how many fire times to list (at most ${MAX_COUNT})`, positiveInt, 10)
    .option('-o, --output <format>', 'json for a JSON array of UTC times')
    .action(preview);
}

async function preview(opts: PreviewOptions): Promise<void> {
  const json = wantsJson(opts.output);
  const input = scheduleInput(opts);
  if (opts.count > MAX_COUNT) throw new BadRequestError(`--count: ${opts.count} is more than ${MAX_COUNT}.`);
  // zod and the schedule code load only here: every other command starts faster without them.
  const [{ scheduleSchema }, { nextFireSlots, scheduleTimeZone }, { previewRows }, { parseDateTimeInZone }] = await Promise.all([
    import('../../domain/schedules/schema.js'),
    import('../../domain/schedules/nextFireTimes.js'),
    import('../../domain/schedules/preview.js'),
    import('../../domain/schedules/zonedTime.js'),
  ]);
  const parsed = scheduleSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const flag = FLAGS[String(i.path[0])];
      return flag ? `${flag}: ${i.message}` : i.message;
    });
    throw new BadRequestError(problems.join('; '));
  }
  const schedule = parsed.data;
  const timeZone = scheduleTimeZone(schedule);
  let from = Date.now();
  if (opts.from !== undefined) {
    const parsedFrom = parseDateTimeInZone(opts.from, timeZone);
    if (parsedFrom === null) throw new BadRequestError(`--from: '${opts.from}' is not an ISO-8601 date-time such as 2026-03-08T00:00 or 2026-03-08T05:00:00Z`);
    from = parsedFrom;
  }
  // --from is inclusive: a fire time exactly at it is listed.
  const slots = nextFireSlots(schedule, { after: from - 1, count: opts.count });
  if (json) return printJson(slots.map((s) => toIso(s.at)));
  if (slots.length === 0) {
    println(`This schedule does not fire at or after ${toIso(from)}.`);
    return;
  }
  const rows = previewRows(slots, timeZone, from - 1);
  printTable(
    ['#', 'UTC', `Local (${timeZone})`, 'Note'],
    rows.map((r) => [r.index, r.utc, r.local, r.note === '' ? '' : color.yellow(r.note)]),
    rows.some((r) => r.note.startsWith('DST')) ? { caption: DST_POLICY } : {},
  );
}

/** The schedule JSON the flags describe, before validation. */
function scheduleInput(opts: PreviewOptions): Record<string, unknown> {
  const given = (['cron', 'interval', 'rrule'] as const).filter((k) => opts[k] !== undefined);
  if (given.length !== 1) {
    throw new BadRequestError(
      given.length === 0 ? 'Pass one of --cron, --interval or --rrule.' : `Pass only one of --cron, --interval or --rrule (got ${given.map((k) => `--${k}`).join(' and ')}).`,
    );
  }
  if (opts.anchorDate !== undefined && opts.interval === undefined) throw new BadRequestError('--anchor-date: only applies to --interval.');
  if (opts.dayOr !== undefined && opts.cron === undefined) throw new BadRequestError('--day-or/--no-day-or: only apply to --cron.');
  const zone = opts.timezone === undefined ? {} : { timezone: opts.timezone };
  if (opts.cron !== undefined) return { cron: opts.cron, ...zone, ...(opts.dayOr === undefined ? {} : { day_or: opts.dayOr }) };
  if (opts.rrule !== undefined) return { rrule: opts.rrule.replace(/\\n/g, '\n'), ...zone };
  const seconds = Number(opts.interval);
  if (opts.interval?.trim() === '' || Number.isNaN(seconds)) throw new BadRequestError(`--interval: '${opts.interval}' is not a number of seconds.`);
  return { interval: seconds, ...zone, ...(opts.anchorDate === undefined ? {} : { anchor_date: opts.anchorDate }) };
}
