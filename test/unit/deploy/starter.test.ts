import { describe, expect, test } from 'vitest';
import { parseBatonYaml } from '../../../src/deploy/config/index.js';
import type { DiscoveredFlow } from '../../../src/deploy/discovery.js';
import { stripCredentials } from '../../../src/deploy/gitOrigin.js';
import { renderStarterYaml, type StarterOptions } from '../../../src/deploy/starter.js';

const FLOWS: DiscoveredFlow[] = [
  { name: 'etl-daily', exportName: 'etl', file: 'flows/etl.ts', entrypoint: 'flows/etl.ts:etl' },
  { name: 'report', exportName: 'default', file: 'flows/report.mts', entrypoint: 'flows/report.mts:default' },
];

const BASE: StarterOptions = {
  projectName: 'my-project',
  batonVersion: '0.1.0',
  source: { kind: 'directory', directory: '/srv/my project' },
  workPool: 'my-pool',
  flows: FLOWS,
};

/** The starter with its example deployments uncommented, as a user would do. */
function uncomment(text: string): string {
  return text
    .split('\n')
    .map((line) => (/^ {2}# (?:- | {2})/.test(line) ? `  ${line.slice(4)}` : line))
    .join('\n');
}

describe('the starter baton.yaml', () => {
  test('is valid as written, with no deployments yet and the directory as pull step', () => {
    const text = renderStarterYaml(BASE);
    const result = parseBatonYaml(text, {});
    expect(result.problems).toEqual([]);
    expect(result.config).toEqual({
      name: 'my-project',
      pull: [{ step: 'set_working_directory', args: { directory: '/srv/my project' } }],
      deployments: [],
    });
    expect(text).toContain('  #   entrypoint: flows/etl.ts:etl');
    expect(text).toContain('# baton deploy -n etl-daily/default');
  });

  test('its commented examples are valid deployments once uncommented', () => {
    const result = parseBatonYaml(uncomment(renderStarterYaml(BASE)), {});
    expect(result.problems).toEqual([]);
    expect(result.config?.deployments).toEqual([
      {
        name: 'default',
        entrypoint: 'flows/etl.ts:etl',
        description: null,
        tags: [],
        parameters: {},
        work_pool: { name: 'my-pool', work_queue_name: 'default' },
        schedules: [{ cron: '0 3 * * *', timezone: 'UTC' }],
      },
      expect.objectContaining({ name: 'default', entrypoint: 'flows/report.mts:default' }),
    ]);
  });

  test('a git source clones the repository and branch; the token stays a commented placeholder', () => {
    const text = renderStarterYaml({ ...BASE, source: { kind: 'git', repository: 'https://example.com/me/x.git', branch: 'main' } });
    expect(parseBatonYaml(text, {}).config?.pull).toEqual([
      { step: 'git_clone', args: { repository: 'https://example.com/me/x.git', branch: 'main' } },
    ]);
    expect(text).toContain('# access_token: "{{ $GIT_TOKEN }}"');
    const detached = renderStarterYaml({ ...BASE, source: { kind: 'git', repository: 'git@example.com:me/x.git', branch: null } });
    expect(parseBatonYaml(detached, {}).config?.pull).toEqual([{ step: 'git_clone', args: { repository: 'git@example.com:me/x.git' } }]);
  });

  test('odd names are quoted, so the file stays valid', () => {
    const text = renderStarterYaml({ ...BASE, projectName: 'a: "b" #c', workPool: "pool 'x'", flows: [] });
    const result = parseBatonYaml(uncomment(text), {});
    expect(result.problems).toEqual([]);
    expect(result.config?.name).toBe('a: "b" #c');
    expect(result.config?.deployments[0]?.work_pool?.name).toBe("pool 'x'");
    expect(result.config?.deployments[0]?.entrypoint).toBe('flows/etl.ts:etl');
    for (const name of ['yes', 'null', '1.0', 'plain-name']) {
      expect(parseBatonYaml(renderStarterYaml({ ...BASE, projectName: name }), {}).config?.name).toBe(name);
    }
  });
});

describe('git origin URLs', () => {
  test('credentials embedded in an https URL are left out', () => {
    expect(stripCredentials('https://user:tok@example.com/me/x.git')).toEqual({ url: 'https://example.com/me/x.git', hadCredentials: true });
    expect(stripCredentials('https://example.com/me/x.git')).toEqual({ url: 'https://example.com/me/x.git', hadCredentials: false });
    expect(stripCredentials('git@example.com:me/x.git')).toEqual({ url: 'git@example.com:me/x.git', hadCredentials: false });
  });
});
