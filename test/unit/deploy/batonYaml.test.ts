import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BatonYamlError,
  formatProblem,
  loadBatonYaml,
  loadBatonYamlOrThrow,
  parseBatonYaml,
  type BatonYamlResult,
  type ConfigProblem,
} from '../../../src/deploy/config/index.js';
import { tempDir } from '../../helpers/tempDir.js';

/** The config of a file that must be valid (fails the test with its problems otherwise). */
function valid(text: string, env: Record<string, string> = {}) {
  const result = parseBatonYaml(text, env);
  if (result.config === null) throw new Error(result.problems.map((p) => formatProblem('baton.yaml', p)).join('\n'));
  return result.config;
}

function problems(text: string, env: Record<string, string> = {}): string[] {
  const result: BatonYamlResult = parseBatonYaml(text, env);
  expect(result.config).toBeNull();
  return result.problems.map((p) => formatProblem('baton.yaml', p));
}

const FULL = `name: my-project
prefect-version: 3.0.0
definitions:                      # anchors live here; ignored otherwise
  work_pools:
    local: &local {name: my-pool, work_queue_name: default}
  tags: &tags [etl, nightly]
build: null
push: null
pull:
  - baton.deployments.steps.git_clone: {repository: "https://example.com/repo.git", branch: main, access_token: "{{ $GIT_TOKEN }}"}
  - prefect.deployments.steps.set_working_directory:
      directory: "{{ clone-step.directory }}"
deployments:
  - name: nightly
    entrypoint: flows/etl.ts:etl
    description: Loads yesterday's data
    version: "1.0"
    tags: *tags
    parameters: {day: today}
    work_pool: *local
    schedules:
      - cron: "0 3 * * *"
        timezone: Europe/Berlin
        active: true
        catchup: latest
        max_active_runs: 1
      - interval: 3600
        anchor_date: 2026-01-01T00:00:00Z
        max_scheduled_runs: 5
      - interval: PT1H
      - interval: "01:00:00"
      - rrule: "FREQ=WEEKLY;BYDAY=MO"
    concurrency_limit: {limit: 2, collision_strategy: CANCEL_NEW}
    enforce_parameter_schema: true
    paused: false
    pull: []
  - name: hourly
    entrypoint: flows/etl.ts:etl
    concurrency_limit: 2
    work_pool:
      <<: *local
      work_queue_name: urgent
      job_variables: {env: {MODE: fast}}
`;

describe('a valid baton.yaml', () => {
  test('the full example parses into the normalised config', () => {
    const config = valid(FULL, { GIT_TOKEN: 's3cret' });
    expect(config.name).toBe('my-project');
    expect(config.pull).toEqual([
      { step: 'git_clone', args: { repository: 'https://example.com/repo.git', branch: 'main', access_token: 's3cret' } },
      { step: 'set_working_directory', args: { directory: '{{ clone-step.directory }}' } },
    ]);
    expect(config.deployments).toHaveLength(2);
    const [nightly, hourly] = config.deployments;
    expect(nightly).toEqual({
      name: 'nightly',
      entrypoint: 'flows/etl.ts:etl',
      description: "Loads yesterday's data",
      version: '1.0',
      tags: ['etl', 'nightly'],
      parameters: { day: 'today' },
      work_pool: { name: 'my-pool', work_queue_name: 'default' },
      schedules: [
        { cron: '0 3 * * *', timezone: 'Europe/Berlin', active: true, catchup: 'latest', max_active_runs: 1 },
        { interval: 3600, anchor_date: '2026-01-01T00:00:00Z', max_scheduled_runs: 5 },
        { interval: 3600 },
        { interval: 3600 },
        { rrule: 'FREQ=WEEKLY;BYDAY=MO' },
      ],
      concurrency_limit: { limit: 2, collision_strategy: 'CANCEL_NEW' },
      enforce_parameter_schema: true,
      paused: false,
      pull: [],
    });
    // A merge key takes the anchor's keys and lets the entry override some of them.
    expect(hourly?.work_pool).toEqual({ name: 'my-pool', work_queue_name: 'urgent', job_variables: { env: { MODE: 'fast' } } });
    expect(hourly?.concurrency_limit).toEqual({ limit: 2 });
    expect(hourly && 'pull' in hourly).toBe(false);
  });

  test('merge keys over a list of anchors; the first one wins, the entry wins over both', () => {
    const config = valid(`definitions:
  a: &a {description: from-a, version: "a"}
  b: &b {description: from-b, tags: [b]}
deployments:
  - <<: [*a, *b]
    name: merged
    version: own
`);
    expect(config.deployments[0]).toEqual({ name: 'merged', description: 'from-a', version: 'own', tags: ['b'] });
  });

  test('an empty file, or one without deployments, is a config with no deployments', () => {
    expect(valid('')).toEqual({ name: null, deployments: [] });
    expect(valid('name: x\ndeployments:\n')).toEqual({ name: 'x', deployments: [] });
  });

  test('pull: [] (no steps) stays distinct from pull: null and from no pull at all', () => {
    expect(valid('pull: []\n').pull).toEqual([]);
    expect('pull' in valid('pull: null\n')).toBe(false);
    expect('pull' in valid('name: x\n')).toBe(false);
    const deployments = valid('deployments:\n  - {name: a, pull: []}\n  - {name: b, pull: null}\n  - {name: c}\n').deployments;
    expect(deployments.map((d) => ('pull' in d ? d.pull : 'absent'))).toEqual([[], 'absent', 'absent']);
  });

  test("pull steps: Prefect's, baton's and bare names are one step; id is kept apart from the args", () => {
    const config = valid(`pull:
  - prefect.deployments.steps.git_clone: {id: clone, repository: git@github.com:me/x.git, include_submodules: true}
  - baton.deployments.steps.git_clone: {repository: https://x/y.git}
  - git_clone: {repository: https://x/z.git, branch: dev}
  - set_working_directory: {directory: /srv/app}
`);
    expect(config.pull).toEqual([
      { step: 'git_clone', id: 'clone', args: { repository: 'git@github.com:me/x.git', include_submodules: true } },
      { step: 'git_clone', args: { repository: 'https://x/y.git' } },
      { step: 'git_clone', args: { repository: 'https://x/z.git', branch: 'dev' } },
      { step: 'set_working_directory', args: { directory: '/srv/app' } },
    ]);
  });

  test('a single step mapping instead of a list is accepted, as in Prefect', () => {
    expect(valid('pull:\n  set_working_directory: {directory: /srv}\n').pull).toEqual([{ step: 'set_working_directory', args: { directory: '/srv' } }]);
  });

  test("Prefect's legacy single schedule becomes a one-item list; its empty template form means none", () => {
    expect(valid('deployments:\n  - {name: a, schedule: {cron: "* * * * *"}}\n').deployments[0]?.schedules).toEqual([{ cron: '* * * * *' }]);
    expect('schedules' in (valid('deployments:\n  - {name: a, schedule: {}}\n').deployments[0] ?? {})).toBe(false);
  });

  test('build and push may be null or empty', () => {
    expect(valid('build: []\npush: null\ndeployments:\n  - {name: a, build: null, push: []}\n').deployments[0]).toEqual({ name: 'a' });
  });
});

describe('environment placeholders', () => {
  test('{{ $NAME }} is replaced anywhere in a string; ctx and step placeholders are left alone', () => {
    const config = valid(
      `pull:
  - git_clone: {repository: "https://{{ $GIT_USER }}@example.com/{{$REPO}}.git", access_token: "{{ $GIT_TOKEN }}"}
deployments:
  - name: a
    description: "built by {{ ctx.user }} from {{ clone.directory }}"
    parameters: {target: "{{ $TARGET }}", nested: [{deep: "x-{{ $TARGET }}"}]}
`,
      { GIT_USER: 'bot', REPO: 'etl', GIT_TOKEN: 'tok', TARGET: 'prod' },
    );
    expect(config.pull?.[0]?.args).toEqual({ repository: 'https://bot@example.com/etl.git', access_token: 'tok' });
    expect(config.deployments[0]?.description).toBe('built by {{ ctx.user }} from {{ clone.directory }}');
    expect(config.deployments[0]?.parameters).toEqual({ target: 'prod', nested: [{ deep: 'x-prod' }] });
  });

  test('a missing variable is a problem naming it and where it is used, reported with the other problems', () => {
    expect(
      problems(`pull:
  - git_clone:
      repository: https://example.com/x.git
      access_token: "{{ $GIT_TOKEN }}"
deployments:
  - name: a
    tags: 5
`),
    ).toEqual([
      'baton.yaml:4 pull[0].git_clone.access_token: environment variable GIT_TOKEN is not set (used as {{ $GIT_TOKEN }})',
      'baton.yaml:7 deployments[0].tags: expected a list, got 5',
    ]);
  });

  test('an empty variable is set; placeholders in unused definitions do not matter', () => {
    const config = valid('definitions:\n  unused: "{{ $NOT_SET }}"\ndeployments:\n  - {name: a, description: "[{{ $EMPTY }}]"}\n', { EMPTY: '' });
    expect(config.deployments[0]?.description).toBe('[]');
  });

  test('a placeholder in an anchor is reported once, at the anchor, even when used twice', () => {
    expect(
      problems(`definitions:
  pool: &pool {name: "{{ $POOL }}"}
deployments:
  - {name: a, work_pool: *pool}
  - {name: b, work_pool: *pool}
`),
    ).toEqual(['baton.yaml:2 deployments[0].work_pool.name: environment variable POOL is not set (used as {{ $POOL }})']);
  });
});

describe('loading from a file', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir('baton-yaml-');
  });
  afterEach(() => dir.remove());

  test('loadBatonYaml reads the file and resolves placeholders from the given env', () => {
    const file = join(dir.path, 'baton.yaml');
    writeFileSync(file, 'deployments:\n  - {name: a, description: "{{ $WHO }}"}\n');
    const result = loadBatonYaml(file, { WHO: 'me' });
    expect(result.problems).toEqual([]);
    expect(result.config?.deployments[0]?.description).toBe('me');
  });

  test('a missing file is a problem that says how to create one', () => {
    const result = loadBatonYaml(join(dir.path, 'baton.yaml'), {});
    expect(result).toEqual({ config: null, problems: [{ path: '', message: 'file not found (run `baton init` to create one)' }] });
  });

  test('loadBatonYamlOrThrow throws one InvalidError listing every problem', () => {
    const file = join(dir.path, 'baton.yaml');
    writeFileSync(file, 'deployments:\n  - name: a\n    tags: 5\n    paused: 1\n');
    let error: unknown;
    try {
      loadBatonYamlOrThrow(file, {});
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(BatonYamlError);
    const e = error as BatonYamlError;
    expect(e.message).toBe(
      `${file} is not valid (2 problems):\n  ${file}:3 deployments[0].tags: expected a list, got 5\n  ${file}:4 deployments[0].paused: expected true or false, got 1`,
    );
    expect(e.problems.map((p: ConfigProblem) => p.path)).toEqual(['deployments[0].tags', 'deployments[0].paused']);
  });
});
