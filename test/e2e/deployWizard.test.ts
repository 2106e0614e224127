import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { BATON_BIN, baton, startTestServer, waitFor, type BackgroundProcess } from '../helpers/processes.js';
import { tempDir } from '../helpers/tempDir.js';
import { apiClient, runLogs, startWorker, waitForEnd, type Api } from '../helpers/workerEnv.js';

/**
 * The `baton deploy` wizard in a real terminal: tmux runs it in a pseudo-terminal, the test reads
 * the screen with capture-pane and answers with send-keys (arrow keys included), waiting for each
 * question to appear before answering it. The deployment it makes is then run by a worker.
 */
let home: ReturnType<typeof tempDir>;
let project: ReturnType<typeof tempDir>;
let server: BackgroundProcess;
let worker: BackgroundProcess | undefined;
let env: Record<string, string>;
let a: Api;

// A private tmux server (its socket in the test's home) and a unique session: nothing shared
// with other tests or users, and nothing left behind.
const SESSION = `deploy-wizard-${randomUUID().slice(0, 8)}`;
let tmuxStarted = false;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-S', join(home.path, 'tmux.sock'), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function screen(): string {
  return tmux('capture-pane', '-p', '-J', '-t', SESSION, '-S', '-500');
}

/** Waits until the terminal shows `text`, and returns the screen. */
async function waitForScreen(text: string | RegExp, timeoutMs = 45_000): Promise<string> {
  let last = '';
  try {
    await waitFor(
      () => {
        last = screen();
        return typeof text === 'string' ? last.includes(text) : text.test(last);
      },
      timeoutMs,
      `the terminal to show ${String(text)}`,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; the terminal shows:\n${last}`);
  }
  return last;
}

function press(...keys: string[]): void {
  tmux('send-keys', '-t', SESSION, ...keys);
}

function typeText(text: string): void {
  tmux('send-keys', '-t', SESSION, '-l', text);
}

const GREET = `import { flow } from 'baton';
import { z } from 'zod';

export const greet = flow(
  {
    name: 'greet',
    description: 'Greets someone.',
    params: z.object({ name: z.string().default('world').describe('Who to greet'), excited: z.boolean().default(false) }),
  },
  async ({ name, excited }, { log }) => {
    log.info(\`Hello, \${name}\${excited ? '!!!' : '!'}\`);
  },
);
`;

const FAREWELL = `import { flow } from 'baton';
export const farewell = flow({ name: 'farewell' }, async (_params, { log }) => log.info('Bye!'));
`;

beforeAll(async () => {
  home = tempDir();
  project = tempDir('baton-deploy-wizard-');
  const started = await startTestServer(home.path);
  server = started.server;
  env = started.env;
  a = apiClient(started.apiUrl);
  await a.post('/work_pools/', { name: 'alpha-pool', type: 'process' });
  await a.post('/work_pools/', { name: 'beta-pool', type: 'process' });
  mkdirSync(join(project.path, 'flows'));
  writeFileSync(join(project.path, 'flows', 'farewell.ts'), FAREWELL);
  writeFileSync(join(project.path, 'flows', 'greet.ts'), GREET);
});
afterAll(async () => {
  if (tmuxStarted) {
    try {
      tmux('kill-session', '-t', SESSION);
    } catch {
      // already gone
    }
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
  }
  await worker?.stop();
  await server?.stop();
  home?.remove();
  project?.remove();
});

test('the wizard, driven through a terminal, makes a deployment a worker runs', { timeout: 240_000 }, async () => {
  const vars = Object.entries({ BATON_HOME: env.BATON_HOME, BATON_API_URL: env.BATON_API_URL, NO_COLOR: '1' })
    .map(([k, v]) => `${k}='${v}'`)
    .join(' ');
  const command = `env ${vars} '${process.execPath}' '${BATON_BIN}' deploy; echo "WIZARD-EXIT=$?"; sleep 600`;
  tmux('new-session', '-d', '-s', SESSION, '-x', '200', '-y', '50', '-c', project.path, command);
  tmuxStarted = true;

  // The discovered flows, as a table; the arrow key moves to the second one.
  let shown = await waitForScreen('Which flow would you like to deploy?');
  expect(shown).toMatch(/Flow Name\s+Location/);
  await waitForScreen(/❯ farewell\s+flows\/farewell\.ts:farewell/);
  press('Down');
  await waitForScreen(/❯ greet\s+flows\/greet\.ts:greet/);
  press('Enter');

  await waitForScreen('Deployment name:');
  typeText('wizard-made');
  press('Enter');

  await waitForScreen('Would you like to configure a schedule?');
  typeText('y');
  press('Enter');
  await waitForScreen('What type of schedule would you like to use?');
  press('Down');
  await waitForScreen(/❯ Cron/);
  press('Enter');
  await waitForScreen('Cron expression:');
  typeText('0 6 * * *');
  press('Enter');
  await waitForScreen('Time zone of the schedule');
  typeText('Europe/Berlin');
  press('Enter');
  await waitForScreen('Would you like to activate this schedule?');
  press('Enter');
  await waitForScreen('Would you like to add another schedule?');
  press('Enter');

  await waitForScreen('Which work pool would you like to deploy this flow to?');
  await waitForScreen(/❯ alpha-pool/);
  press('Down');
  await waitForScreen(/❯ beta-pool/);
  press('Enter');

  // One question per parameter, prefilled with the flow's default; a bad value is refused.
  await waitForScreen('? name (string; Who to greet)');
  typeText('tmux');
  press('Enter');
  await waitForScreen('? excited (boolean)');
  typeText('maybe');
  press('Enter');
  await waitForScreen('/excited: must be boolean');
  press('C-u');
  press('Enter');

  await waitForScreen('Save this deployment to baton.yaml');
  press('Enter');

  shown = await waitForScreen('WIZARD-EXIT=');
  expect(shown).toContain('WIZARD-EXIT=0');
  expect(shown).toMatch(/Deployment 'greet\/wizard-made' successfully created with id '[0-9a-f-]{36}'\./);
  expect(shown).toContain('Saved the deployment in baton.yaml.');
  expect(shown).toContain('$ baton worker start --pool beta-pool');
  expect(shown).toContain("$ baton deployment run 'greet/wizard-made'");
  expect(shown).toContain("$ baton deploy -n 'greet/wizard-made' --yes");
  expect(shown).toContain("$ baton deploy flows/greet.ts:greet -n wizard-made -p beta-pool --cron '0 6 * * *' --timezone Europe/Berlin --param name=tmux --yes");

  const deployment = await a.get('/deployments/name/greet/wizard-made');
  expect(deployment).toMatchObject({
    work_pool_name: 'beta-pool',
    entrypoint: 'flows/greet.ts:greet',
    path: project.path,
    parameters: { name: 'tmux' },
    description: 'Greets someone.',
  });
  expect(deployment.schedules.map((s: { schedule: unknown; active: boolean }) => [s.schedule, s.active])).toEqual([
    [{ cron: '0 6 * * *', timezone: 'Europe/Berlin', day_or: true }, true],
  ]);
  expect(readFileSync(join(project.path, 'baton.yaml'), 'utf8')).toContain('entrypoint: flows/greet.ts:greet');

  // The saved entry deploys again without a terminal, unchanged.
  const again = await baton(['deploy', '-n', 'greet/wizard-made'], env, { cwd: project.path, timeout: 60_000 });
  expect(again.stderr).toBe('');
  expect(again.stdout).toContain("Deployment 'greet/wizard-made' successfully updated");
  expect(again.stdout).toContain('= unchanged');

  worker = startWorker(env, ['--pool', 'beta-pool']);
  const run = await a.post(`/deployments/${deployment.id}/create_flow_run`, {});
  const done = await waitForEnd(a, run.id, 90_000);
  const messages = (await runLogs(a, run.id)).map((l) => l.message);
  expect(done.state_type, messages.join('\n')).toBe('COMPLETED');
  expect(messages).toContain('Hello, tmux!');
});
