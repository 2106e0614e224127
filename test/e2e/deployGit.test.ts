import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { baton, startBaton, startTestServer, type BackgroundProcess } from '../helpers/processes.js';
import { tempDir } from '../helpers/tempDir.js';
import { apiClient, runLogs, waitForEnd, type Api } from '../helpers/workerEnv.js';

/**
 * Pulling the code from git: a local bare repository is the remote of a project whose flow
 * imports `baton` and `zod`. The deployment has a `git_clone` pull step; a worker started in an
 * empty directory runs the flow from its clone (the log line says which version ran), and after
 * a commit is pushed the next run uses the new code.
 */
let dir: ReturnType<typeof tempDir>;
let home: ReturnType<typeof tempDir>;
let server: BackgroundProcess;
let worker: BackgroundProcess | undefined;
let env: Record<string, string>;
let a: Api;
let project: string;
let remoteUrl: string;

const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: 'baton test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'baton test', GIT_COMMITTER_EMAIL: 'test@example.com' };
const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function flowSource(version: string): string {
  return `import { flow } from 'baton';
import { z } from 'zod';

export const versioned = flow(
  { name: 'versioned', params: z.object({ who: z.string().default('git') }) },
  async ({ who }, { log }) => {
    log.info(\`running version ${version} for \${who}\`);
    return '${version}';
  },
);
`;
}

beforeAll(async () => {
  dir = tempDir('baton-deploy-git-');
  home = tempDir();
  const started = await startTestServer(home.path);
  server = started.server;
  env = started.env;
  a = apiClient(started.apiUrl);
  await a.post('/work_pools/', { name: 'git-pool', type: 'process' });

  const remote = join(dir.path, 'remote.git');
  remoteUrl = pathToFileURL(remote).href;
  git(dir.path, 'init', '-q', '--bare', '-b', 'main', remote);
  project = join(dir.path, 'project');
  mkdirSync(join(project, 'flows'), { recursive: true });
  git(project, 'init', '-q', '-b', 'main');
  git(project, 'remote', 'add', 'origin', remoteUrl);
  writeFileSync(join(project, 'flows', 'versioned.ts'), flowSource('1'));
  writeFileSync(
    join(project, 'baton.yaml'),
    `name: git-project
pull:
  - prefect.deployments.steps.git_clone:
      repository: ${remoteUrl}
      branch: main
      # Filled in by the worker from its own environment, never stored resolved.
      access_token: "{{ $GIT_TOKEN }}"
deployments:
  - name: from-git
    entrypoint: flows/versioned.ts:versioned
    work_pool:
      name: git-pool
`,
  );
  git(project, 'add', '.');
  git(project, 'commit', '-q', '-m', 'version 1');
  git(project, 'push', '-q', '-u', 'origin', 'main');
});
afterAll(async () => {
  await worker?.stop();
  await server?.stop();
  home?.remove();
  dir?.remove();
});

async function runAndLogs(deploymentId: string): Promise<string[]> {
  const run = await a.post(`/deployments/${deploymentId}/create_flow_run`, {});
  const done = await waitForEnd(a, run.id, 90_000);
  const messages = (await runLogs(a, run.id)).map((l) => l.message);
  expect(done.state_type, messages.join('\n')).toBe('COMPLETED');
  return messages;
}

test('a worker in an empty directory runs the flow from its clone, and the next run after a push runs the new code', async () => {
  // The deploying machine has no GIT_TOKEN: the placeholder is the worker's to fill in.
  const deployed = await baton(['deploy', '-n', 'versioned/from-git'], env, { cwd: project, timeout: 60_000 });
  expect(deployed.stderr).toBe('');
  expect(deployed.stdout).toMatch(/Deployment 'versioned\/from-git' successfully created with id/);
  const deployment = await a.get('/deployments/name/versioned/from-git');
  expect(deployment.pull_steps).toEqual([{ 'baton.deployments.steps.git_clone': { repository: remoteUrl, branch: 'main', access_token: '{{ $GIT_TOKEN }}' } }]);
  expect(deployment.path).toBe(project);

  // What is on disk here is not what was pushed: a run must not see it.
  writeFileSync(join(project, 'flows', 'versioned.ts'), flowSource('LOCAL'));

  const empty = join(dir.path, 'worker-cwd');
  mkdirSync(empty);
  worker = startBaton(['worker', 'start', '--pool', 'git-pool'], { ...env, GIT_TOKEN: 'not-needed-for-file-urls' }, { cwd: empty });

  const first = await runAndLogs(deployment.id);
  expect(first).toContain('running version 1 for git');
  expect(first.join('\n')).not.toContain('LOCAL');
  expect(first.some((m) => /^Checked out .* at [0-9a-f]{12} \(main\)$/.test(m))).toBe(true);

  writeFileSync(join(project, 'flows', 'versioned.ts'), flowSource('2'));
  git(project, 'commit', '-q', '-am', 'version 2');
  git(project, 'push', '-q');

  const second = await runAndLogs(deployment.id);
  expect(second).toContain('running version 2 for git');
});
