import { afterEach, beforeEach, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBatonYaml } from '../../src/deploy/config/index.js';
import { baton } from '../helpers/processes.js';
import { tempDir } from '../helpers/tempDir.js';

/** `baton init` with the real CLI in temporary folders; it needs no server. */
let home: ReturnType<typeof tempDir>;
let work: ReturnType<typeof tempDir>;
let env: Record<string, string>;

beforeEach(() => {
  home = tempDir('baton-home-');
  work = tempDir('baton-init-');
  env = { BATON_HOME: home.path, NO_COLOR: '1' };
});
afterEach(() => {
  work.remove();
  home.remove();
});

function write(dir: string, rel: string, text: string): void {
  mkdirSync(join(dir, rel, '..'), { recursive: true });
  writeFileSync(join(dir, rel), text);
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

const ETL = `import { flow } from 'baton';
import { z } from 'zod';
export const etl = flow({ name: 'etl-daily', params: z.object({ day: z.string().default('today') }) }, async ({ day }, { log }) => {
  log.info(\`processing \${day}\`);
});
`;

test('writes a valid starter and .batonignore, lists the flows, and uses the directory when there is no git remote', async () => {
  const dir = realpathSync(work.path);
  write(dir, 'flows/etl.ts', ETL);
  write(dir, 'node_modules/dep/index.ts', ETL.replace('etl-daily', 'from-deps'));

  const result = await baton(['init', '--name', 'my-project'], env, { cwd: dir });
  expect(result.exitCode, result.stderr).toBe(0);
  expect(result.stdout).toContain(`Created baton.yaml and .batonignore in ${dir}.`);
  expect(result.stdout).toMatch(/Flow Name\s+│ Location/);
  expect(result.stdout).toMatch(/etl-daily\s+│ flows\/etl\.ts:etl/);
  expect(result.stdout).not.toContain('from-deps');
  expect(result.stdout).toContain('baton deploy -n etl-daily/default');

  const loaded = loadBatonYaml(join(dir, 'baton.yaml'), {});
  expect(loaded.problems).toEqual([]);
  expect(loaded.config).toEqual({
    name: 'my-project',
    pull: [{ step: 'set_working_directory', args: { directory: dir } }],
    deployments: [],
  });
  const yaml = readFileSync(join(dir, 'baton.yaml'), 'utf8');
  expect(yaml).toContain('  #   entrypoint: flows/etl.ts:etl');
  expect(readFileSync(join(dir, '.batonignore'), 'utf8')).toMatch(/^node_modules\/$[\s\S]*^dist\/$/m);
});

test('refuses to overwrite baton.yaml without --force; --force rewrites it and keeps .batonignore', async () => {
  const dir = work.path;
  expect((await baton(['init'], env, { cwd: dir })).exitCode).toBe(0);
  writeFileSync(join(dir, '.batonignore'), 'custom/\n');
  writeFileSync(join(dir, 'baton.yaml'), 'name: mine\n');

  const refused = await baton(['init'], env, { cwd: dir });
  expect(refused.exitCode).toBe(1);
  expect(refused.stderr.trim().split('\n')).toHaveLength(1);
  expect(refused.stderr).toContain('baton.yaml already exists');
  expect(refused.stderr).toContain('Use --force to overwrite it.');
  expect(readFileSync(join(dir, 'baton.yaml'), 'utf8')).toBe('name: mine\n');

  const forced = await baton(['init', '--force', '--name', 'renamed'], env, { cwd: dir });
  expect(forced.exitCode, forced.stderr).toBe(0);
  expect(forced.stdout).toContain('Created baton.yaml in');
  expect(forced.stdout).toContain('No flows found yet.');
  expect(loadBatonYaml(join(dir, 'baton.yaml'), {}).config?.name).toBe('renamed');
  expect(readFileSync(join(dir, '.batonignore'), 'utf8')).toBe('custom/\n');
});

test('inside a git repository with an origin remote, the pull step clones it on the current branch', async () => {
  const origin = tempDir('baton-origin-');
  try {
    git(origin.path, 'init', '--bare', '-q');
    const dir = work.path;
    git(dir, 'init', '-q');
    git(dir, 'symbolic-ref', 'HEAD', 'refs/heads/release');
    git(dir, 'remote', 'add', 'origin', origin.path);
    write(dir, 'src/flows.mts', ETL);

    const result = await baton(['init'], env, { cwd: join(dir) });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Workers will clone ${origin.path} (branch release)`);
    const loaded = loadBatonYaml(join(dir, 'baton.yaml'), {});
    expect(loaded.problems).toEqual([]);
    expect(loaded.config?.pull).toEqual([{ step: 'git_clone', args: { repository: origin.path, branch: 'release' } }]);
    expect(readFileSync(join(dir, 'baton.yaml'), 'utf8')).toContain('  #   entrypoint: src/flows.mts:etl');
  } finally {
    origin.remove();
  }
});

test('credentials in the origin URL are not written to baton.yaml', async () => {
  const dir = work.path;
  git(dir, 'init', '-q');
  git(dir, 'remote', 'add', 'origin', 'https://bot:ghp_secret@example.com/me/x.git');
  const result = await baton(['init'], env, { cwd: dir });
  expect(result.exitCode, result.stderr).toBe(0);
  expect(result.stdout).toContain('The origin URL contains credentials; they were left out.');
  const yaml = readFileSync(join(dir, 'baton.yaml'), 'utf8');
  expect(yaml).not.toContain('ghp_secret');
  expect(loadBatonYaml(join(dir, 'baton.yaml'), {}).config?.pull?.[0]?.args).toMatchObject({ repository: 'https://example.com/me/x.git' });
  expect(existsSync(join(dir, '.batonignore'))).toBe(true);
});
