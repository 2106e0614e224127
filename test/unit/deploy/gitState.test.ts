import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { gitState, gitWarnings } from '../../../src/deploy/gitState.js';
import { tempDir } from '../../helpers/tempDir.js';

/** Real git repositories: a bare remote and a clone that is ahead of it, or not. */
let dir: ReturnType<typeof tempDir>;
const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8' });

beforeAll(() => {
  dir = tempDir('baton-git-state-');
});
afterAll(() => dir.remove());

test('no repository, or no origin: nothing to offer', async () => {
  const plain = join(dir.path, 'plain');
  mkdirSync(plain);
  expect(await gitState(plain)).toBeNull();
  git(plain, 'init', '-q', '-b', 'main');
  expect(await gitState(plain)).toBeNull();
});

test('unpushed commits, a branch without upstream, uncommitted changes, and a project below the top', async () => {
  const remote = join(dir.path, 'remote.git');
  const project = join(dir.path, 'project');
  git(dir.path, 'init', '-q', '--bare', '-b', 'main', remote);
  mkdirSync(join(project, 'app'), { recursive: true });
  git(project, 'init', '-q', '-b', 'main');
  git(project, 'remote', 'add', 'origin', remote);
  writeFileSync(join(project, 'app', 'a.txt'), '1');
  git(project, 'add', '.');
  git(project, 'commit', '-q', '-m', 'one');

  let state = await gitState(project);
  expect(state).toMatchObject({ origin: { url: remote, branch: 'main' }, subdir: '', unpushed: null, dirty: false });
  expect(gitWarnings(state!)).toEqual(["Branch 'main' has no upstream: workers clone what origin has. Push it first: git push -u origin main"]);

  git(project, 'push', '-q', '-u', 'origin', 'main');
  expect(gitWarnings((await gitState(project))!)).toEqual([]);

  writeFileSync(join(project, 'app', 'a.txt'), '2');
  git(project, 'commit', '-q', '-am', 'two');
  writeFileSync(join(project, 'app', 'a.txt'), '3');
  state = await gitState(join(project, 'app'));
  expect(state).toMatchObject({ subdir: 'app', unpushed: 1, dirty: true });
  expect(gitWarnings(state!)).toEqual([
    '1 commit is not pushed to origin: workers would run the older code there. Push first: git push',
    'There are uncommitted changes: workers only see what is committed and pushed.',
  ]);
});
