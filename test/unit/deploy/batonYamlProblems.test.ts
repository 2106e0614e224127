import { describe, expect, test } from 'vitest';
import { formatProblem, parseBatonYaml, parseIntervalSeconds } from '../../../src/deploy/config/index.js';

function problems(text: string, env: Record<string, string> = {}): string[] {
  const result = parseBatonYaml(text, env);
  expect(result.config).toBeNull();
  return result.problems.map((p) => formatProblem('baton.yaml', p));
}

describe('problems: every one at once, with its path and line', () => {
  test('wrong types, unknown keys and schedule shapes across deployments', () => {
    expect(
      problems(`name: my-project
deployments:
  - name: nightly
    entrypoint: flows/etl.ts:etl
    tags: 5
    tgas: [x]
    version: 1.0
    paused: "yes"
    schedules:
      - cron: "0 3 * * *"
        catchup: sometimes
      - interval: soon
      - interval: 0
      - rrule: FREQ=DAILY
        cron: "* * * * *"
      - timezone: UTC
      - cron: "0 * * * *"
        anchor_date: 2026-01-01T00:00:00Z
        max_active_runs: 0
        every: 5
  - entrypoint: flows/etl.ts
    concurrency_limit: {limit: 0, collision_strategy: QUEUE}
    work_pool: {name: p, queue: q}
`),
    ).toEqual([
      'baton.yaml:5 deployments[0].tags: expected a list, got 5',
      "baton.yaml:6 deployments[0].tgas: unknown key; did you mean 'tags'?",
      'baton.yaml:7 deployments[0].version: expected a string, got 1 (put it in quotes to keep it as text)',
      'baton.yaml:8 deployments[0].paused: expected true or false, got "yes"',
      'baton.yaml:11 deployments[0].schedules[0].catchup: expected one of "all", "latest", "none", got "sometimes"',
      'baton.yaml:12 deployments[0].schedules[1].interval: expected a number of seconds > 0 (or an ISO-8601 duration such as PT1H, or HH:MM:SS), got "soon"',
      'baton.yaml:13 deployments[0].schedules[2].interval: expected a number of seconds > 0 (or an ISO-8601 duration such as PT1H, or HH:MM:SS), got 0',
      'baton.yaml:14 deployments[0].schedules[3]: a schedule has exactly one of cron, interval or rrule; found cron and rrule (make them separate schedules)',
      'baton.yaml:16 deployments[0].schedules[4]: a schedule needs one of cron, interval or rrule',
      'baton.yaml:18 deployments[0].schedules[5].anchor_date: applies to interval schedules only',
      'baton.yaml:19 deployments[0].schedules[5].max_active_runs: must be a whole number ≥ 1',
      'baton.yaml:20 deployments[0].schedules[5].every: unknown key; expected one of: cron, interval, rrule, timezone, anchor_date, day_or, active, catchup, max_active_runs, max_scheduled_runs, parameters, slug',
      'baton.yaml:21 deployments[1].name: required',
      'baton.yaml:21 deployments[1].entrypoint: expected path/to/file.ts:exportName (a .ts, .mts, .js or .mjs file, a colon, the export), got "flows/etl.ts"',
      'baton.yaml:22 deployments[1].concurrency_limit.limit: must be a whole number ≥ 1',
      'baton.yaml:22 deployments[1].concurrency_limit.collision_strategy: expected one of "ENQUEUE", "CANCEL_NEW", got "QUEUE"',
      "baton.yaml:23 deployments[1].work_pool.queue: unknown key; expected one of: name, work_queue_name, job_variables",
    ]);
  });

  test('unknown top-level keys are problems; definitions, prefect-version and baton-version are not', () => {
    expect(problems('name: x\nprefect-version: 3\nbaton-version: 0.1.0\ndefinitions: {a: 1}\ndeploymnets: []\ntriggers: []\n')).toEqual([
      "baton.yaml:5 deploymnets: unknown key; did you mean 'deployments'?",
      'baton.yaml:6 triggers: unknown key; expected one of: name, prefect-version, baton-version, definitions, build, push, pull, deployments',
    ]);
  });

  test('unsupported steps name the supported ones; step arguments are checked', () => {
    expect(
      problems(`build:
  - prefect_docker.deployments.steps.build_docker_image: {}
pull:
  - prefect.deployments.steps.run_shell_script: {script: echo hi}
  - git_clone: {branch: 5, token: x}
  - set_working_directory:
  - {git_clone: {repository: x}, set_working_directory: {directory: y}}
  - just-a-string
`),
    ).toEqual([
      "baton.yaml:1 build: baton has no build steps (workers run your TypeScript directly); remove 'build' or set it to null",
      "baton.yaml:4 pull[0][\"prefect.deployments.steps.run_shell_script\"]: unknown pull step 'prefect.deployments.steps.run_shell_script'; baton supports git_clone and set_working_directory (also written baton.deployments.steps.<name> or prefect.deployments.steps.<name>)",
      'baton.yaml:5 pull[1].git_clone.repository: required',
      'baton.yaml:5 pull[1].git_clone.branch: expected a string, got 5 (put it in quotes to keep it as text)',
      'baton.yaml:5 pull[1].git_clone.token: unknown key; expected one of: repository, branch, access_token, include_submodules',
      'baton.yaml:6 pull[2].set_working_directory.directory: required',
      "baton.yaml:7 pull[3]: a step is a mapping with exactly one key, the step's name; found 'git_clone', 'set_working_directory'",
      "baton.yaml:8 pull[4]: expected a step such as '- baton.deployments.steps.git_clone: {repository: …}', got \"just-a-string\"",
    ]);
  });

  test('a problem inside an anchor is reported at the line where the anchor is written', () => {
    expect(
      problems(`definitions:
  pool: &pool
    name: my-pool
    work_queue_nme: default
deployments:
  - name: a
    work_pool: *pool
`),
    ).toEqual(["baton.yaml:4 deployments[0].work_pool.work_queue_nme: unknown key; did you mean 'work_queue_name'?"]);
  });

  test('schedule and schedules together, duplicate deployments, bad concurrency forms', () => {
    expect(
      problems(`deployments:
  - name: a
    entrypoint: f.ts:x
    schedule: {cron: "* * * * *"}
    schedules: []
    concurrency_limit: many
  - name: a
    entrypoint: f.ts:x
    concurrency_limit: 1.5
  - name: a
    entrypoint: g.ts:x
    concurrency_limit: {limit: 1, grace_period_seconds: 5}
`),
    ).toEqual([
      "baton.yaml:4 deployments[0].schedule: use either 'schedule' or 'schedules', not both",
      'baton.yaml:6 deployments[0].concurrency_limit: expected a whole number ≥ 1 or {limit, collision_strategy}, got "many"',
      'baton.yaml:7 deployments[1].name: duplicate of deployments[0] (same name and entrypoint)',
      'baton.yaml:9 deployments[1].concurrency_limit: must be a whole number ≥ 1, got 1.5',
      'baton.yaml:12 deployments[2].concurrency_limit.grace_period_seconds: must be between 60 and 86400',
    ]);
  });

  test('deployment names follow the API rules', () => {
    expect(problems('deployments:\n  - name: "a/b"\n  - name: ""\n')).toEqual([
      'baton.yaml:2 deployments[0].name: must not contain any of / % & > <',
      'baton.yaml:3 deployments[1].name: must not be empty',
    ]);
  });

  test('YAML syntax errors are reported with their line, before any schema check', () => {
    expect(problems('name: x\ndeployments:\n  - name: a\n    tags: [a, b\n  - name: b\n')).toEqual([
      'baton.yaml:5: YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
    expect(problems('name: a\nname: b\n')).toEqual(['baton.yaml:2: YAML syntax: Map keys must be unique']);
  });

  test('a document that is not a mapping, and an unknown alias', () => {
    expect(problems('- a\n- b\n')).toEqual(['baton.yaml:1: expected a mapping, got a list']);
    expect(problems('deployments:\n  - *nope\n')).toEqual(['baton.yaml:2: YAML: unknown alias *nope (define the anchor &nope before using it)']);
  });
});

describe('interval forms', () => {
  test.each([
    [3600, 3600],
    [0.5, 0.5],
    ['90', 90],
    ['PT1H', 3600],
    ['PT1H30M', 5400],
    ['P1DT2S', 86_402],
    ['P1W', 604_800],
    ['PT0.5S', 0.5],
    ['01:00:00', 3600],
    ['1 day, 00:00:30', 86_430],
  ] as const)('%s is %s seconds', (input, seconds) => {
    expect(parseIntervalSeconds(input)).toBe(seconds);
  });

  test.each([0, -5, 'soon', 'P', 'PT', 'P1M', '1:2', '', null, true, Number.POSITIVE_INFINITY])('%s is not an interval', (input) => {
    expect(parseIntervalSeconds(input)).toBeNull();
  });
});
