import { parseIntervalSeconds } from './config/duration.js';
import type { ScheduleConfig } from './config/scheduleSchema.js';
import type { DeployProblem } from './problems.js';
import type { CollisionStrategy, ScheduleSpec } from './spec.js';

/** `baton deploy`'s options as commander hands them over. */
export interface DeployFlags {
  name?: string[];
  pool?: string;
  workQueue?: string;
  cron?: string[];
  interval?: string[];
  rrule?: string[];
  anchorDate?: string;
  timezone?: string;
  param?: string[];
  params?: string;
  tag?: string[];
  description?: string;
  version?: string;
  jobVariable?: string[];
  concurrencyLimit?: number;
  collisionStrategy?: string;
  enforceParameterSchema?: boolean;
  all?: boolean;
  dryRun?: boolean;
  yes?: boolean;
  batonFile?: string;
}

/** What the options say about one deployment; each field is set only when its option was given. */
export interface CliOverrides {
  entrypoint?: string;
  pool?: string;
  queue?: string;
  schedules?: ScheduleSpec[];
  parameters?: Record<string, unknown>;
  parametersFlag?: '--param' | '--params';
  tags?: string[];
  description?: string;
  version?: string;
  jobVariables?: Record<string, unknown>;
  concurrencyLimit?: number;
  collisionStrategy?: CollisionStrategy;
  enforceParameterSchema?: boolean;
}

const flag = (name: string): { kind: 'flag'; flag: string } => ({ kind: 'flag', flag: name });

/**
 * Reads the options that describe a deployment. Values are checked for form only (a `k=v`, JSON,
 * a duration); whether a cron expression or time zone means something is checked with the
 * schedules later, wherever they came from.
 */
export function parseCliOverrides(entrypoint: string | undefined, f: DeployFlags): { overrides: CliOverrides; problems: DeployProblem[] } {
  const problems: DeployProblem[] = [];
  const o: CliOverrides = {};
  const problem = (name: string, message: string): void => {
    problems.push({ origin: flag(name), message });
  };
  if (entrypoint !== undefined) o.entrypoint = entrypoint;
  if (f.pool !== undefined) o.pool = f.pool;
  if (f.workQueue !== undefined) o.queue = f.workQueue;
  if (f.tag !== undefined) o.tags = f.tag;
  if (f.description !== undefined) o.description = f.description;
  if (f.version !== undefined) o.version = f.version;
  if (f.enforceParameterSchema !== undefined) o.enforceParameterSchema = f.enforceParameterSchema;
  if (f.concurrencyLimit !== undefined) o.concurrencyLimit = f.concurrencyLimit;
  if (f.collisionStrategy !== undefined) {
    const strategy = f.collisionStrategy.toUpperCase().replace(/-/g, '_');
    if (strategy === 'ENQUEUE' || strategy === 'CANCEL_NEW') o.collisionStrategy = strategy;
    else problem('--collision-strategy', `'${f.collisionStrategy}' is not ENQUEUE or CANCEL_NEW`);
  }

  if (f.param !== undefined && f.params !== undefined) problem('--params', 'cannot be combined with --param: use one or the other');
  else if (f.params !== undefined) {
    const parsed = parseJsonObject(f.params);
    if (typeof parsed === 'string') problem('--params', parsed);
    else {
      o.parameters = parsed;
      o.parametersFlag = '--params';
    }
  } else if (f.param !== undefined) {
    o.parameters = keyValues(f.param, '--param', problems);
    o.parametersFlag = '--param';
  }
  if (f.jobVariable !== undefined) o.jobVariables = jobVariables(f.jobVariable, problems);

  const schedules = cliSchedules(f, problems);
  if (schedules.length > 0) o.schedules = schedules;
  return { overrides: o, problems };
}

function cliSchedules(f: DeployFlags, problems: DeployProblem[]): ScheduleSpec[] {
  const zone = f.timezone !== undefined ? { timezone: f.timezone } : {};
  const schedules: ScheduleSpec[] = [];
  for (const cron of f.cron ?? []) schedules.push({ config: { cron, ...zone }, origin: flag(`--cron '${cron}'`) });
  for (const raw of f.interval ?? []) {
    const seconds = parseIntervalSeconds(raw);
    if (seconds === null) {
      problems.push({ origin: flag(`--interval '${raw}'`), message: 'expected a number of seconds > 0 (or an ISO-8601 duration such as PT1H, or HH:MM:SS)' });
      continue;
    }
    const config: ScheduleConfig = { interval: seconds, ...zone, ...(f.anchorDate !== undefined ? { anchor_date: f.anchorDate } : {}) };
    schedules.push({ config, origin: flag(`--interval '${raw}'`) });
  }
  for (const rrule of f.rrule ?? []) schedules.push({ config: { rrule, ...zone }, origin: flag(`--rrule '${rrule}'`) });
  const given = schedules.length + problems.filter((p) => p.origin.kind === 'flag' && p.origin.flag.startsWith('--interval')).length;
  if (f.anchorDate !== undefined && (f.interval ?? []).length === 0) {
    problems.push({ origin: flag('--anchor-date'), message: 'applies to --interval schedules only: add --interval SECONDS' });
  }
  if (f.timezone !== undefined && given === 0) {
    problems.push({ origin: flag('--timezone'), message: 'applies to schedules given with --cron, --interval or --rrule: add one, or set timezone in baton.yaml' });
  }
  return schedules;
}

/** `k=v` pairs; a value is JSON when it parses as JSON, else the text (Prefect's rule). */
export function keyValues(pairs: readonly string[], name: string, problems: DeployProblem[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      problems.push({ origin: flag(name), message: `'${pair}' is not KEY=VALUE` });
      continue;
    }
    Object.defineProperty(out, pair.slice(0, eq), { value: jsonOrText(pair.slice(eq + 1)), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** `--job-variable k=v`, or a JSON object of several (as Prefect accepts). */
function jobVariables(values: readonly string[], problems: DeployProblem[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const value of values) {
    if (value.trimStart().startsWith('{')) {
      const parsed = parseJsonObject(value);
      if (typeof parsed === 'string') problems.push({ origin: flag('--job-variable'), message: parsed });
      else Object.assign(out, parsed);
    } else Object.assign(out, keyValues([value], '--job-variable', problems));
  }
  return out;
}

export function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The object, or a message saying why the text is not a JSON object. */
function parseJsonObject(text: string): Record<string, unknown> | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return `is not valid JSON (${(err as Error).message})`;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'expected a JSON object such as {"day": "2026-01-31"}';
  return value as Record<string, unknown>;
}

/** The options given that describe one deployment (refused when several are selected). */
export function deploymentOptionsGiven(entrypoint: string | undefined, f: DeployFlags): string[] {
  const given: [boolean, string][] = [
    [entrypoint !== undefined, 'the entrypoint argument'],
    [f.pool !== undefined, '--pool'],
    [f.workQueue !== undefined, '--work-queue'],
    [(f.cron ?? []).length > 0, '--cron'],
    [(f.interval ?? []).length > 0, '--interval'],
    [(f.rrule ?? []).length > 0, '--rrule'],
    [f.anchorDate !== undefined, '--anchor-date'],
    [f.timezone !== undefined, '--timezone'],
    [f.param !== undefined, '--param'],
    [f.params !== undefined, '--params'],
    [f.tag !== undefined, '--tag'],
    [f.description !== undefined, '--description'],
    [f.version !== undefined, '--version'],
    [f.jobVariable !== undefined, '--job-variable'],
    [f.concurrencyLimit !== undefined, '--concurrency-limit'],
    [f.collisionStrategy !== undefined, '--collision-strategy'],
    [f.enforceParameterSchema !== undefined, f.enforceParameterSchema ? '--enforce-parameter-schema' : '--no-enforce-parameter-schema'],
  ];
  return given.filter(([yes]) => yes).map(([, name]) => name);
}
