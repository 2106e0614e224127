import { describe, expect, test } from 'vitest';
import { changeLines, creationLines, hasChanges, sameJson, type ExistingDeployment } from '../../../src/deploy/diff.js';
import type { DeploymentRequest } from '../../../src/deploy/request.js';

const SCHEMA = { title: 'Parameters', type: 'object', properties: { day: { type: 'string' } } };

const REQUEST: DeploymentRequest = {
  name: 'nightly',
  entrypoint: 'flows/etl.ts:etl',
  path: '/srv/project',
  description: 'old',
  version: null,
  tags: ['etl'],
  parameters: { day: 'today' },
  parameter_openapi_schema: SCHEMA,
  work_pool_name: 'pool-a',
  job_variables: {},
  schedules: [{ schedule: { cron: '0 6 * * *', timezone: 'Europe/Berlin', day_or: true }, active: true, parameters: {}, catchup: 'latest' }],
  concurrency_limit: null,
  concurrency_options: null,
  pull_steps: null,
};

/** What the server answers for REQUEST once stored. */
function stored(overrides: Partial<ExistingDeployment> = {}): ExistingDeployment {
  return {
    description: 'old',
    version: null,
    entrypoint: 'flows/etl.ts:etl',
    path: '/srv/project',
    tags: ['etl'],
    parameters: { day: 'today' },
    parameter_openapi_schema: { properties: { day: { type: 'string' } }, type: 'object', title: 'Parameters' },
    work_pool_name: 'pool-a',
    work_queue_name: 'default',
    job_variables: {},
    pull_steps: null,
    concurrency_limit: null,
    concurrency_options: null,
    enforce_parameter_schema: true,
    paused: false,
    schedules: [schedule({ cron: '0 6 * * *', timezone: 'Europe/Berlin', day_or: true })],
    ...overrides,
  };
}

function schedule(body: Record<string, unknown>, extra: Partial<ExistingDeployment['schedules'][number]> = {}): ExistingDeployment['schedules'][number] {
  return {
    id: 's1',
    created: '2026-01-01T00:00:00Z',
    updated: '2026-01-01T00:00:00Z',
    deployment_id: 'd1',
    schedule: body as ExistingDeployment['schedules'][number]['schedule'],
    active: true,
    max_scheduled_runs: null,
    parameters: {},
    slug: null,
    catchup: 'latest',
    max_active_runs: null,
    next_fire_time: null,
    ...extra,
  };
}

const text = (lines: { op: string; text: string }[]): string[] => lines.map((l) => `${l.op} ${l.text}`);

describe('changeLines', () => {
  test('the same deployment again changes nothing, whatever the key order the server answers in', () => {
    const lines = changeLines(stored(), REQUEST);
    expect(lines).toEqual([]);
    expect(hasChanges(lines)).toBe(false);
  });

  test('field by field: ~ for a changed value, + and - for schedules', () => {
    const lines = changeLines(stored({ description: 'old', tags: [], schedules: [schedule({ interval: 3600 })] }), { ...REQUEST, description: 'new' });
    expect(text(lines)).toEqual([
      '~ description: "old" → "new"',
      '~ tags: none → etl',
      '+ schedule cron 0 6 * * * (Europe/Berlin)',
      '- schedule interval 3600s',
      '= future runs the old schedules created are replaced; runs created by hand are kept',
    ]);
    expect(hasChanges(lines)).toBe(true);
  });

  test('a paused deployment stays paused unless the request says otherwise', () => {
    expect(text(changeLines(stored({ paused: true }), REQUEST))).toEqual(['= paused: stays paused (deploy never resumes a deployment; use baton deployment resume)']);
    expect(hasChanges(changeLines(stored({ paused: true }), REQUEST))).toBe(false);
    expect(text(changeLines(stored({ paused: true }), { ...REQUEST, paused: false }))).toEqual(['~ paused: true → false']);
  });

  test('a schedule an operator paused is matched and stays paused; it is not a change', () => {
    const paused = stored({ schedules: [schedule({ cron: '0 6 * * *', timezone: 'Europe/Berlin', day_or: true }, { active: false })] });
    const lines = changeLines(paused, REQUEST);
    expect(text(lines)).toEqual(['= schedule cron 0 6 * * * (Europe/Berlin): stays paused (an operator paused it)']);
    expect(hasChanges(lines)).toBe(false);
  });

  test('schedules with a slug are matched by slug, so an edit is one ~ line', () => {
    const old = stored({ schedules: [schedule({ cron: '0 6 * * *', timezone: 'UTC', day_or: true }, { slug: 'morning' })] });
    const lines = changeLines(old, { ...REQUEST, schedules: [{ ...REQUEST.schedules[0]!, slug: 'morning' }] });
    expect(text(lines)[0]).toBe('~ schedule cron 0 6 * * * (UTC), slug morning → cron 0 6 * * * (Europe/Berlin), slug morning');
  });

  test('enforce_parameter_schema is compared only when the request sets it', () => {
    expect(changeLines(stored({ enforce_parameter_schema: false }), REQUEST)).toEqual([]);
    expect(text(changeLines(stored({ enforce_parameter_schema: false }), { ...REQUEST, enforce_parameter_schema: true }))).toEqual(['~ enforce parameter schema: false → true']);
  });

  test('pool, queue, parameters, schema, pull steps and concurrency', () => {
    const lines = changeLines(stored(), {
      ...REQUEST,
      work_pool_name: 'pool-b',
      work_queue_name: 'fast',
      parameters: {},
      parameter_openapi_schema: { type: 'object', properties: { day: { type: 'string' }, rows: { type: 'integer' } } },
      pull_steps: [{ 'baton.deployments.steps.git_clone': { repository: 'file:///srv/repo.git', branch: 'main' } }],
      concurrency_limit: 2,
      concurrency_options: { collision_strategy: 'CANCEL_NEW' },
    });
    expect(text(lines)).toEqual([
      '~ work pool: pool-a → pool-b',
      '~ work queue: default → fast',
      '~ parameters: {"day":"today"} → {}',
      '~ parameter schema: parameters day → parameters day, rows',
      '~ pull steps: none → git_clone file:///srv/repo.git@main',
      '~ concurrency limit: none → 2 (CANCEL_NEW)',
    ]);
  });
});

describe('creationLines', () => {
  test('every field a new deployment gets', () => {
    expect(text(creationLines({ ...REQUEST, enforce_parameter_schema: false }))).toEqual([
      '+ entrypoint: flows/etl.ts:etl',
      '+ path: /srv/project',
      '+ work pool: pool-a',
      '+ description: "old"',
      '+ tags: etl',
      '+ parameters: {"day":"today"}',
      '+ parameter schema: parameters day',
      '+ enforce parameter schema: false',
      '+ schedule cron 0 6 * * * (Europe/Berlin)',
    ]);
  });
});

test('sameJson ignores key order and treats missing and null alike', () => {
  expect(sameJson({ a: 1, b: { c: null, d: [1, { e: 2, f: 3 }] } }, { b: { d: [1, { f: 3, e: 2 }] }, a: 1 })).toBe(true);
  expect(sameJson([1, 2], [2, 1])).toBe(false);
});
