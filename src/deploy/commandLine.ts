import { jsonOrText } from './cliOptions.js';
import type { CompleteSpec } from './spec.js';

/**
 * The `baton deploy …` command that makes the same deployment without prompts (for CI), and
 * what it cannot say: flags set one time zone for all schedules and have no pull steps, no
 * inactive schedules and no per-schedule options; those need baton.yaml.
 */
export function equivalentCommand(spec: CompleteSpec): { command: string; needsYaml: string[] } {
  const words = ['baton', 'deploy', spec.entrypoint, '-n', spec.name, '-p', spec.pool];
  const needsYaml: string[] = [];
  if (spec.queue) words.push('-q', spec.queue);
  const zones = new Set(spec.schedules.map((s) => s.config.timezone ?? null));
  for (const { config } of spec.schedules) {
    if ('cron' in config && config.cron !== undefined) words.push('--cron', config.cron);
    else if ('interval' in config && config.interval !== undefined) words.push('--interval', String(config.interval));
    else if ('rrule' in config && config.rrule !== undefined) words.push('--rrule', config.rrule);
    if (config.active === false) needsYaml.push('an inactive schedule');
    if (config.catchup !== undefined || config.max_active_runs !== undefined || config.max_scheduled_runs !== undefined || config.parameters !== undefined || config.slug !== undefined) {
      needsYaml.push('per-schedule options');
    }
  }
  const [zone] = [...zones];
  if (zones.size > 1) needsYaml.push('schedules in different time zones');
  else if (zone) words.push('--timezone', zone);
  const anchors = spec.schedules.map((s) => ('anchor_date' in s.config ? s.config.anchor_date : undefined)).filter((a) => a !== undefined);
  if (anchors.length > 0) words.push('--anchor-date', anchors[0] as string);
  for (const [key, value] of Object.entries(spec.parameters)) words.push('--param', `${key}=${flagValue(value)}`);
  for (const tag of spec.tags ?? []) words.push('-t', tag);
  if (spec.description !== undefined && spec.description !== null) words.push('--description', spec.description);
  if (spec.version !== undefined && spec.version !== null) words.push('--version', spec.version);
  for (const [key, value] of Object.entries(spec.jobVariables)) words.push('--job-variable', `${key}=${flagValue(value)}`);
  if (spec.concurrency) {
    words.push('--concurrency-limit', String(spec.concurrency.limit));
    if (spec.concurrency.collision_strategy) words.push('--collision-strategy', spec.concurrency.collision_strategy);
  }
  if (spec.enforceParameterSchema !== undefined) words.push(spec.enforceParameterSchema ? '--enforce-parameter-schema' : '--no-enforce-parameter-schema');
  if (spec.pullSteps && spec.pullSteps.length > 0) needsYaml.push('pull steps (git_clone)');
  words.push('--yes');
  return { command: words.map(shellWord).join(' '), needsYaml: [...new Set(needsYaml)] };
}

/** A value as `--param` reads it back: text stays text unless it would read as JSON. */
function flagValue(value: unknown): string {
  if (typeof value === 'string' && jsonOrText(value) === value) return value;
  return JSON.stringify(value);
}

/** A word as a POSIX shell reads it back. */
export function shellWord(word: string): string {
  return /^[\w./:@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}
