import { describe, expect, test } from 'vitest';
import { parseCliOverrides } from '../../../src/deploy/cliOptions.js';
import { parseBatonYaml, type BatonConfig } from '../../../src/deploy/config/index.js';
import type { InspectedFlow } from '../../../src/deploy/inspectFlows.js';
import { applyOverrides, specFromYaml } from '../../../src/deploy/merge.js';
import { formatDeployProblem } from '../../../src/deploy/problems.js';
import { buildRequest, checkParameters, pullStepBody, relativeEntrypoint } from '../../../src/deploy/request.js';
import { checkSchedules, describeSchedule } from '../../../src/deploy/schedules.js';
import { emptySpec, type CompleteSpec, type DeploySpec } from '../../../src/deploy/spec.js';

const FLOW: InspectedFlow = {
  name: 'etl',
  description: 'The flow’s own description.',
  version: '1.0',
  parameterSchema: {
    title: 'Parameters',
    type: 'object',
    properties: { day: { type: 'string' }, rows: { type: 'integer', minimum: 1, default: 100 }, mode: { enum: ['fast', 'slow'] } },
    required: ['day'],
  },
};

function config(text: string): BatonConfig {
  // What loadProject does for pull steps: the placeholder stays for the worker to fill in.
  const result = parseBatonYaml(text, { GIT_TOKEN: '{{ $GIT_TOKEN }}' });
  if (result.config === null) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

const YAML = config(`
pull:
  - prefect.deployments.steps.git_clone:
      repository: https://example.com/repo.git
      access_token: "{{ $GIT_TOKEN }}"
deployments:
  - name: nightly
    entrypoint: flows/etl.ts:etl
    description: From the file.
    tags: [etl]
    parameters: {rows: 5, mode: fast}
    work_pool: {name: pool-a, work_queue_name: q, job_variables: {env: {A: "1"}}}
    schedules:
      - cron: "0 6 * * *"
        timezone: Europe/Berlin
        catchup: all
        max_scheduled_runs: 10
    concurrency_limit: {limit: 2, collision_strategy: CANCEL_NEW}
`);

function complete(spec: DeploySpec): CompleteSpec {
  if (spec.name === undefined || spec.entrypoint === undefined || spec.pool === undefined) throw new Error('incomplete');
  return spec as CompleteSpec;
}

describe('baton.yaml entry + options → spec', () => {
  const base = specFromYaml(YAML.deployments[0]!, 0, YAML.pull);

  test('an entry becomes a spec with every value in place', () => {
    expect(base).toMatchObject({
      yamlIndex: 0,
      name: 'nightly',
      entrypoint: 'flows/etl.ts:etl',
      description: 'From the file.',
      tags: ['etl'],
      parameters: { rows: 5, mode: 'fast' },
      pool: 'pool-a',
      queue: 'q',
      jobVariables: { env: { A: '1' } },
      concurrency: { limit: 2, collision_strategy: 'CANCEL_NEW' },
    });
    expect(base.enforceParameterSchema).toBeUndefined();
    expect(base.paused).toBeUndefined();
    expect(base.schedules[0]?.origin).toEqual({ kind: 'yaml', path: ['deployments', 0, 'schedules', 0] });
  });

  test('options win over the file: scalars and lists replace, parameters and job variables merge key by key', () => {
    const { overrides } = parseCliOverrides(undefined, {
      pool: 'pool-b',
      tag: ['x'],
      param: ['rows=7'],
      jobVariable: ['env.B=2'],
      interval: ['60'],
      collisionStrategy: 'ENQUEUE',
    });
    const { spec, problems } = applyOverrides(base, overrides);
    expect(problems).toEqual([]);
    expect(spec).toMatchObject({ pool: 'pool-b', tags: ['x'], parameters: { rows: 7, mode: 'fast' }, jobVariables: { env: { A: '1' }, 'env.B': 2 } });
    expect(spec.schedules.map((s) => s.config)).toEqual([{ interval: 60 }]);
    expect(spec.concurrency).toEqual({ limit: 2, collision_strategy: 'ENQUEUE' });
    expect(spec.origins.pool).toEqual({ kind: 'flag', flag: '--pool' });
    expect(base.pool).toBe('pool-a');
  });

  test('a collision strategy without any limit is a problem', () => {
    const { problems } = applyOverrides(emptySpec(), parseCliOverrides(undefined, { collisionStrategy: 'CANCEL_NEW' }).overrides);
    expect(problems.map((p) => p.message)).toEqual(['applies to a concurrency limit: add --concurrency-limit N']);
  });
});

describe('buildRequest', () => {
  const base = specFromYaml(YAML.deployments[0]!, 0, YAML.pull);
  const { schedules } = checkSchedules(base.schedules);

  test('the deployment request: project root as path, the entrypoint relative to it, pull steps with their placeholders', () => {
    const r = buildRequest(complete(base), FLOW, '/srv/project', schedules);
    expect(r).toEqual({
      name: 'nightly',
      entrypoint: 'flows/etl.ts:etl',
      path: '/srv/project',
      description: 'From the file.',
      version: '1.0',
      tags: ['etl'],
      parameters: { rows: 5, mode: 'fast' },
      parameter_openapi_schema: FLOW.parameterSchema,
      work_pool_name: 'pool-a',
      work_queue_name: 'q',
      job_variables: { env: { A: '1' } },
      schedules: [
        {
          schedule: { cron: '0 6 * * *', timezone: 'Europe/Berlin', day_or: true },
          active: true,
          parameters: {},
          catchup: 'all',
          max_scheduled_runs: 10,
        },
      ],
      concurrency_limit: 2,
      concurrency_options: { collision_strategy: 'CANCEL_NEW' },
      pull_steps: [{ 'baton.deployments.steps.git_clone': { repository: 'https://example.com/repo.git', access_token: '{{ $GIT_TOKEN }}' } }],
    });
  });

  test('paused and enforce_parameter_schema are sent only when set, so a redeploy keeps what an operator chose', () => {
    const bare = complete({ ...emptySpec(), name: 'a', entrypoint: './flows/etl.ts:etl', pool: 'p' });
    const r = buildRequest(bare, FLOW, '/srv/project', []);
    expect('paused' in r).toBe(false);
    expect('enforce_parameter_schema' in r).toBe(false);
    expect('work_queue_name' in r).toBe(false);
    expect(r).toMatchObject({ description: FLOW.description, version: '1.0', tags: [], concurrency_limit: null, concurrency_options: null, pull_steps: null, schedules: [] });
    const set = buildRequest({ ...bare, paused: true, enforceParameterSchema: false, description: null }, FLOW, '/srv/project', []);
    expect(set).toMatchObject({ paused: true, enforce_parameter_schema: false, description: null });
  });

  test('entrypoints are made relative to the root with forward slashes', () => {
    expect(relativeEntrypoint('/srv/p', './flows/etl.ts:etl')).toBe('flows/etl.ts:etl');
    expect(relativeEntrypoint('/srv/p', '/srv/p/flows/etl.ts:etl')).toBe('flows/etl.ts:etl');
    expect(relativeEntrypoint('/srv/p', 'flows\\etl.ts:etl')).toBe('flows/etl.ts:etl');
  });

  test('pull steps are stored under baton’s qualified names', () => {
    expect(pullStepBody({ step: 'set_working_directory', id: 'cd', args: { directory: 'sub' } })).toEqual({ 'baton.deployments.steps.set_working_directory': { id: 'cd', directory: 'sub' } });
  });
});

describe('checkParameters', () => {
  test('every bad default is reported where it was written; required parameters may be left to each run', () => {
    const spec = complete({ ...specFromYaml(YAML.deployments[0]!, 0, undefined), parameters: { rows: 0, mode: 'medium' } });
    const problems = checkParameters(spec, FLOW);
    expect(problems.map((p) => formatDeployProblem(p, 'baton.yaml', () => 12))).toEqual([
      'baton.yaml:12 deployments[0].parameters.rows: must be >= 1',
      'baton.yaml:12 deployments[0].parameters.mode: must be one of "fast", "slow"',
    ]);
    expect(checkParameters({ ...spec, parameters: { rows: 3 } }, FLOW)).toEqual([]);
  });

  test('from options, the problem names the option', () => {
    const { spec } = applyOverrides({ ...emptySpec(), name: 'a', entrypoint: 'f.ts:f', pool: 'p' }, parseCliOverrides(undefined, { param: ['rows=x'] }).overrides);
    expect(checkParameters(complete(spec), FLOW).map((p) => formatDeployProblem(p, 'baton.yaml', () => undefined))).toEqual(['--param rows: must be integer']);
  });
});

describe('checkSchedules', () => {
  test('problems point into the schedule as written in baton.yaml', () => {
    const { problems } = checkSchedules([
      { config: { cron: '0 6 * *' }, origin: { kind: 'yaml', path: ['deployments', 1, 'schedules', 0] } },
      { config: { interval: 60, timezone: 'Mars/Olympus' }, origin: { kind: 'flag', flag: "--interval '60'" } },
    ]);
    const lines = problems.map((p) => formatDeployProblem(p, 'baton.yaml', () => 9));
    expect(lines[0]).toMatch(/^baton\.yaml:9 deployments\[1\]\.schedules\[0\]\.cron: '0 6 \* \*' is invalid: /);
    expect(lines[1]).toBe("--interval '60': 'Mars/Olympus' is not an IANA time zone (such as UTC or America/New_York)");
  });

  test('one line per schedule for diffs', () => {
    expect(describeSchedule({ schedule: { cron: '0 6 * * *', timezone: 'Europe/Berlin', day_or: true } })).toBe('cron 0 6 * * * (Europe/Berlin)');
    expect(describeSchedule({ schedule: { interval: 3600 }, active: false, catchup: 'latest' })).toBe('interval 3600s, inactive');
    expect(describeSchedule({ schedule: { rrule: 'FREQ=DAILY', timezone: 'UTC' }, parameters: { a: 1 }, catchup: 'none', max_active_runs: 1, max_scheduled_runs: 3 })).toBe(
      'rrule FREQ=DAILY (UTC), parameters {"a":1}, catchup none, max_active_runs 1, max_scheduled_runs 3',
    );
  });
});
