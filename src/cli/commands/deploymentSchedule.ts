import { InvalidArgumentError, type Command } from 'commander';
import { DeploymentSchedulesClient, type DeploymentScheduleBody } from '../../client/deploymentSchedules.js';
import type { BatonClient } from '../../client/index.js';
import { BadRequestError, NotFoundError } from '../../domain/errors.js';
import type { DeploymentSchedule } from '../../domain/schedules/schema.js';
import type { Deployment } from '../../domain/schemas/deployments.js';
import { client } from '../context.js';
import { color, printJson, println, printTable, wantsJson } from '../output.js';
import { collect, positiveInt } from '../parse.js';
import { confirmAction } from '../prompts.js';
import { requireUuid } from '../runRef.js';
import { parsePairs } from '../runParams.js';
import { humanizeDelta } from '../timeParse.js';
import { deploymentLabel, resolveDeployment } from './deployment/resolve.js';

const CATCHUP = ['all', 'latest', 'none'] as const;

interface CreateOptions {
  interval?: string;
  cron?: string;
  rrule?: string;
  anchorDate?: string;
  timezone?: string;
  dayOr?: boolean;
  active?: boolean;
  inactive?: boolean;
  catchup?: (typeof CATCHUP)[number];
  maxActiveRuns?: number;
  maxScheduledRuns?: number;
  slug?: string;
  param: string[];
  replace?: boolean;
  yes?: boolean;
}

/** Schedule fields → the flag that sets them, so a problem names what was typed. */
const FLAGS: Record<string, string> = {
  cron: '--cron',
  interval: '--interval',
  rrule: '--rrule',
  timezone: '--timezone',
  anchor_date: '--anchor-date',
  day_or: '--day-or',
  catchup: '--catchup',
  max_active_runs: '--max-active-runs',
  max_scheduled_runs: '--max-scheduled-runs',
  slug: '--slug',
  parameters: '--param',
};

function catchupPolicy(value: string): (typeof CATCHUP)[number] {
  const v = value.trim().toLowerCase();
  if (!(CATCHUP as readonly string[]).includes(v)) throw new InvalidArgumentError(`'${value}' is not one of ${CATCHUP.join(', ')}.`);
  return v as (typeof CATCHUP)[number];
}

/** `interval: 3600s`, `cron: 0 9 * * * (Europe/Berlin)`, `rrule: FREQ=…`: the Schedule column. */
export function describeSchedule(schedule: DeploymentSchedule['schedule']): string {
  if ('interval' in schedule) return `interval: ${schedule.interval}s${schedule.timezone && schedule.timezone !== 'UTC' ? ` (${schedule.timezone})` : ''}`;
  if ('cron' in schedule) return `cron: ${schedule.cron} (${schedule.timezone ?? 'UTC'})${schedule.day_or === false ? ' day_or=false' : ''}`;
  return `rrule: ${schedule.rrule.replace(/\s*\n\s*/g, ' ')}${schedule.timezone && schedule.timezone !== 'UTC' ? ` (${schedule.timezone})` : ''}`;
}

function nextRun(s: DeploymentSchedule): string {
  if (s.last_error) return color.red('no runs: see below');
  return s.next_fire_time ? `${s.next_fire_time} (${humanizeDelta(Date.parse(s.next_fire_time))})` : 'None';
}

async function target(name: string): Promise<{ api: BatonClient; schedules: DeploymentSchedulesClient; deployment: Deployment; label: string }> {
  const api = client();
  const deployment = await resolveDeployment(api, name, undefined);
  return { api, schedules: new DeploymentSchedulesClient(api.http), deployment, label: deploymentLabel(deployment) };
}

/** The schedules a pause, resume or delete names: one by ID, or all of them with --all. */
async function chosen(name: string, scheduleId: string | undefined, all: boolean | undefined) {
  if ((scheduleId === undefined) === !all) throw new BadRequestError('Pass either a schedule ID or --all (see `baton deployment schedule ls`).');
  const t = await target(name);
  const list = await t.schedules.list(t.deployment.id);
  if (all) return { ...t, picked: list };
  const id = requireUuid(scheduleId as string, 'schedule');
  const one = list.find((s) => s.id === id);
  if (!one) throw new NotFoundError(`Schedule '${id}' not found on deployment '${t.label}'. List them with \`baton deployment schedule ls '${t.label}'\`.`);
  return { ...t, picked: [one] };
}

/** The body `create` sends, validated here so each problem names its flag (zod loads only now). */
async function scheduleBody(opts: CreateOptions): Promise<DeploymentScheduleBody> {
  const given = (['cron', 'interval', 'rrule'] as const).filter((k) => opts[k] !== undefined);
  if (given.length !== 1) {
    throw new BadRequestError(given.length === 0 ? 'Pass one of --interval, --cron or --rrule.' : `Pass only one of --interval, --cron or --rrule (got ${given.map((k) => `--${k}`).join(' and ')}).`);
  }
  if (opts.anchorDate !== undefined && opts.interval === undefined) throw new BadRequestError('--anchor-date: only applies to --interval.');
  if (opts.dayOr !== undefined && opts.cron === undefined) throw new BadRequestError('--day-or/--no-day-or: only apply to --cron.');
  if (opts.active && opts.inactive) throw new BadRequestError('Pass only one of --active and --inactive.');
  const zone = opts.timezone === undefined ? {} : { timezone: opts.timezone };
  let schedule: Record<string, unknown>;
  if (opts.cron !== undefined) schedule = { cron: opts.cron, ...zone, ...(opts.dayOr === undefined ? {} : { day_or: opts.dayOr }) };
  else if (opts.rrule !== undefined) schedule = { rrule: opts.rrule.replace(/\\n/g, '\n'), ...zone };
  else {
    const seconds = Number(opts.interval);
    if (opts.interval?.trim() === '' || Number.isNaN(seconds)) throw new BadRequestError(`--interval: '${opts.interval}' is not a number of seconds.`);
    schedule = { interval: seconds, ...zone, ...(opts.anchorDate === undefined ? {} : { anchor_date: opts.anchorDate }) };
  }
  const body: DeploymentScheduleBody = {
    schedule,
    active: !opts.inactive,
    ...(opts.catchup === undefined ? {} : { catchup: opts.catchup }),
    ...(opts.maxActiveRuns === undefined ? {} : { max_active_runs: opts.maxActiveRuns }),
    ...(opts.maxScheduledRuns === undefined ? {} : { max_scheduled_runs: opts.maxScheduledRuns }),
    ...(opts.slug === undefined ? {} : { slug: opts.slug }),
    ...(opts.param.length === 0 ? {} : { parameters: parsePairs(opts.param, '--param') }),
  };
  const { deploymentScheduleCreateSchema } = await import('../../domain/schedules/schema.js');
  const parsed = deploymentScheduleCreateSchema.safeParse(body);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const key = String(i.path[0] === 'schedule' ? (i.path[1] ?? given[0]) : i.path[0]);
      return `${FLAGS[key] ?? key}: ${i.message}`;
    });
    throw new BadRequestError(problems.join('; '));
  }
  return body;
}

async function create(name: string, opts: CreateOptions): Promise<void> {
  const body = await scheduleBody(opts);
  const t = await target(name);
  let created: DeploymentSchedule | undefined;
  if (opts.replace) {
    const count = t.deployment.schedules.length;
    if (count > 0 && !(await confirmAction(`Replace the ${count} schedule(s) of deployment '${t.label}' with this one?`, opts.yes))) {
      println('Schedule creation aborted.');
      return;
    }
    // One request: the old schedules and their runs still to come are replaced together.
    await t.api.deployments.update(t.deployment.id, { schedules: [body] });
    created = (await t.schedules.list(t.deployment.id))[0];
  } else {
    [created] = await t.schedules.create(t.deployment.id, [body]);
  }
  if (!created) return;
  println(`Created deployment schedule ${created.id} for '${t.label}': ${describeSchedule(created.schedule)}.`);
  println(`└── Active: ${created.active}, catch-up: ${created.catchup}, max active runs: ${created.max_active_runs ?? 'no limit'}`);
  println(`└── Next run: ${nextRun(created)}`);
}

async function setActive(name: string, scheduleId: string | undefined, opts: { all?: boolean }, active: boolean): Promise<void> {
  const t = await chosen(name, scheduleId, opts.all);
  for (const s of t.picked) await t.schedules.update(t.deployment.id, s.id, { active });
  const verb = active ? 'Resumed' : 'Paused';
  if (t.picked.length === 1 && scheduleId !== undefined) println(`${verb} schedule ${t.picked[0]?.id} of deployment '${t.label}'.`);
  else println(`${verb} ${t.picked.length} schedule(s) of deployment '${t.label}'.`);
}

async function remove(name: string, scheduleId: string | undefined, opts: { all?: boolean; yes?: boolean }): Promise<void> {
  const t = await chosen(name, scheduleId, opts.all);
  if (t.picked.length === 0) return println(`Deployment '${t.label}' has no schedules.`);
  const what = opts.all ? `all ${t.picked.length} schedule(s)` : `schedule ${t.picked[0]?.id}`;
  if (!(await confirmAction(`Delete ${what} of deployment '${t.label}' (and their runs that have not started)?`, opts.yes))) {
    println('Deletion aborted.');
    return;
  }
  for (const s of t.picked) await t.schedules.delete(t.deployment.id, s.id);
  println(`Deleted ${what} of deployment '${t.label}'.`);
}

export function registerDeploymentSchedule(deployment: Command): void {
  const group = deployment.command('schedule').alias('schedules').description("List, create, pause, resume and delete a deployment's schedules");

  group
    .command('ls <name>')
    .description("List the schedules of a deployment ('flow/deployment')")
    .option('-o, --output <format>', 'json for machine-readable output')
    .action(async (name: string, opts: { output?: string }) => {
      const json = wantsJson(opts.output);
      const t = await target(name);
      const list = await t.schedules.list(t.deployment.id);
      if (json) return printJson(list);
      printTable(
        ['ID', 'Schedule', 'Active', 'Catch-up', 'Max active', 'Next run'],
        list.map((s) => [s.id, `${s.slug ? `${color.bold(s.slug)}: ` : ''}${describeSchedule(s.schedule)}`, String(s.active), s.catchup, s.max_active_runs ?? '-', nextRun(s)]),
        { title: 'Deployment Schedules', ...(t.deployment.paused ? { caption: `Deployment '${t.label}' is paused: no schedule makes runs until it is resumed.` } : {}) },
      );
      for (const s of list) if (s.last_error) println(color.red(`Schedule ${s.slug ?? s.id} makes no runs: ${s.last_error}`));
    });

  group
    .command('create <name>')
    .description("Add a schedule to a deployment ('flow/deployment')")
    .option('--interval <seconds>', 'a fixed interval in seconds, e.g. 3600')
    .option('--cron <expr>', "a cron expression, e.g. '0 9 * * MON-FRI' or @daily")
    .option('--rrule <rule>', "an RFC 5545 rule, e.g. 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9'")
    .option('--anchor-date <time>', 'with --interval: a time the intervals count from (without Z or an offset, local to --timezone)')
    .option('--timezone <tz>', 'IANA time zone, e.g. America/New_York (default UTC)')
    .option('--day-or', 'with --cron: fire when day-of-month OR day-of-week matches (the default)')
    .option('--no-day-or', 'with --cron: fire only when day-of-month AND day-of-week match')
    .option('--active', 'the schedule makes runs at once (the default)')
    .option('--inactive', 'create the schedule paused')
    .option('--catchup <policy>', 'slots missed while the server or the workers were down: all, latest (default) or none', catchupPolicy)
    .option('--max-active-runs <n>', "further runs of this schedule wait while this many are active", positiveInt)
    .option('--max-scheduled-runs <n>', 'create at most this many of its upcoming runs ahead (default: the server\'s scheduler limits)', positiveInt)
    .option('--slug <slug>', 'a name for the schedule, unique in the deployment (kept by redeploys)')
    .option('-p, --param <key=value>', "a parameter for this schedule's runs, over the deployment's; value as JSON, else text (repeatable)", collect, [])
    .option('--replace', "replace the deployment's current schedules with this one")
    .option('-y, --yes', 'with --replace: do not ask for confirmation')
    .action((name: string, opts: CreateOptions) => create(name, opts));

  for (const [verb, active] of [
    ['pause', false],
    ['resume', true],
  ] as const) {
    group
      .command(`${verb} <name> [schedule-id]`)
      .description(`${active ? 'Resume' : 'Pause'} a schedule of a deployment, or all of them with --all`)
      .option('--all', 'every schedule of the deployment')
      .action((name: string, scheduleId: string | undefined, opts: { all?: boolean }) => setActive(name, scheduleId, opts, active));
  }

  group
    .command('delete <name> [schedule-id]')
    .description('Delete a schedule of a deployment (and its runs that have not started), or all of them with --all')
    .option('--all', 'every schedule of the deployment')
    .option('-y, --yes', 'do not ask for confirmation')
    .action((name: string, scheduleId: string | undefined, opts: { all?: boolean; yes?: boolean }) => remove(name, scheduleId, opts));

  group
    .command('clear <name>')
    .description('Delete every schedule of a deployment')
    .option('-y, --yes', 'do not ask for confirmation')
    .action((name: string, opts: { yes?: boolean }) => remove(name, undefined, { all: true, ...(opts.yes ? { yes: true } : {}) }));
}
