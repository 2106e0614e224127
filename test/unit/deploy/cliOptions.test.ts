import { describe, expect, test } from 'vitest';
import { deploymentOptionsGiven, parseCliOverrides } from '../../../src/deploy/cliOptions.js';

const messages = (flags: Parameters<typeof parseCliOverrides>[1]): string[] =>
  parseCliOverrides(undefined, flags).problems.map((p) => `${p.origin.kind === 'flag' ? p.origin.flag : '?'}: ${p.message}`);

describe('parseCliOverrides', () => {
  test('only the options given are set', () => {
    expect(parseCliOverrides(undefined, {}).overrides).toEqual({});
    const { overrides, problems } = parseCliOverrides('flows/etl.ts:etl', { pool: 'p', workQueue: 'q', tag: ['a', 'b'], description: 'd', version: '2', enforceParameterSchema: false });
    expect(problems).toEqual([]);
    expect(overrides).toEqual({ entrypoint: 'flows/etl.ts:etl', pool: 'p', queue: 'q', tags: ['a', 'b'], description: 'd', version: '2', enforceParameterSchema: false });
  });

  test('--param values are JSON when they parse as JSON, else text (Prefect)', () => {
    const { overrides } = parseCliOverrides(undefined, { param: ['rows=500', 'day=2026-01-31', 'flags={"a":true}', 'quoted="500"', 'empty=', 'eq=a=b'] });
    expect(overrides.parameters).toEqual({ rows: 500, day: '2026-01-31', flags: { a: true }, quoted: '500', empty: '', eq: 'a=b' });
    expect(overrides.parametersFlag).toBe('--param');
  });

  test('--params is one JSON object; it cannot be combined with --param', () => {
    expect(parseCliOverrides(undefined, { params: '{"rows": 5}' }).overrides.parameters).toEqual({ rows: 5 });
    expect(messages({ params: '[1]' })).toEqual(['--params: expected a JSON object such as {"day": "2026-01-31"}']);
    expect(messages({ params: '{rows' })[0]).toMatch(/^--params: is not valid JSON/);
    expect(messages({ params: '{}', param: ['a=1'] })).toEqual(['--params: cannot be combined with --param: use one or the other']);
  });

  test('a pair without = is reported with its option', () => {
    expect(messages({ param: ['rows'] })).toEqual(["--param: 'rows' is not KEY=VALUE"]);
    expect(messages({ jobVariable: ['=x'] })).toEqual(["--job-variable: '=x' is not KEY=VALUE"]);
  });

  test('--job-variable takes k=v or a JSON object, merged in order', () => {
    const { overrides } = parseCliOverrides(undefined, { jobVariable: ['working_dir=/srv/app', '{"env": {"A": "1"}}', 'env.B=2'] });
    expect(overrides.jobVariables).toEqual({ working_dir: '/srv/app', env: { A: '1' }, 'env.B': 2 });
  });

  test('schedule options become schedules, each remembering its option; --timezone applies to all of them', () => {
    const { overrides, problems } = parseCliOverrides(undefined, {
      cron: ['0 6 * * *'],
      interval: ['3600', 'PT30M'],
      rrule: ['FREQ=DAILY'],
      timezone: 'Europe/Berlin',
      anchorDate: '2026-01-01T00:00:00',
    });
    expect(problems).toEqual([]);
    expect(overrides.schedules?.map((s) => s.config)).toEqual([
      { cron: '0 6 * * *', timezone: 'Europe/Berlin' },
      { interval: 3600, timezone: 'Europe/Berlin', anchor_date: '2026-01-01T00:00:00' },
      { interval: 1800, timezone: 'Europe/Berlin', anchor_date: '2026-01-01T00:00:00' },
      { rrule: 'FREQ=DAILY', timezone: 'Europe/Berlin' },
    ]);
    expect(overrides.schedules?.[0]?.origin).toEqual({ kind: 'flag', flag: "--cron '0 6 * * *'" });
  });

  test('schedule options that cannot apply are refused', () => {
    expect(messages({ interval: ['soon'] })).toEqual(["--interval 'soon': expected a number of seconds > 0 (or an ISO-8601 duration such as PT1H, or HH:MM:SS)"]);
    expect(messages({ timezone: 'UTC' })).toEqual(['--timezone: applies to schedules given with --cron, --interval or --rrule: add one, or set timezone in baton.yaml']);
    expect(messages({ cron: ['0 6 * * *'], anchorDate: '2026-01-01' })).toEqual(['--anchor-date: applies to --interval schedules only: add --interval SECONDS']);
  });

  test('--collision-strategy is ENQUEUE or CANCEL_NEW, in any case', () => {
    expect(parseCliOverrides(undefined, { collisionStrategy: 'cancel-new', concurrencyLimit: 2 }).overrides).toMatchObject({ collisionStrategy: 'CANCEL_NEW', concurrencyLimit: 2 });
    expect(messages({ collisionStrategy: 'drop' })).toEqual(["--collision-strategy: 'drop' is not ENQUEUE or CANCEL_NEW"]);
  });
});

describe('deploymentOptionsGiven', () => {
  test('names the options that describe one deployment, not the ones that select or steer', () => {
    expect(deploymentOptionsGiven(undefined, { all: true, dryRun: true, yes: true, batonFile: 'x.yaml', name: ['a'] })).toEqual([]);
    expect(deploymentOptionsGiven('f.ts:f', { pool: 'p', cron: ['* * * * *'], enforceParameterSchema: false })).toEqual([
      'the entrypoint argument',
      '--pool',
      '--cron',
      '--no-enforce-parameter-schema',
    ]);
  });
});
