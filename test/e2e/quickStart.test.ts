import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { baton, batonEnv, freePort, waitFor } from '../helpers/processes.js';
import { tempDir } from '../helpers/tempDir.js';

/**
 * The README's quick start, literally: `npm start` (scripts/start.mjs) brings up the server, the
 * UI, the examples pool, a worker and the example deployments; the run the README suggests
 * completes; Ctrl-C stops it all with exit code 0.
 */
const START = fileURLToPath(new URL('../../scripts/start.mjs', import.meta.url));
const home = tempDir();
afterAll(() => home.remove());

test('npm start: server, UI, worker and example deployments; the suggested run completes; Ctrl-C exits 0', async () => {
  const port = await freePort();
  const env = batonEnv(home.path, port);
  const start = execa(process.execPath, [START], { env, all: true, reject: false, stdin: 'ignore' });
  let out = '';
  start.all?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  try {
    await waitFor(() => out.includes('baton is running') || start.exitCode !== null, 60_000, 'npm start to finish starting');
    expect(start.exitCode, out).toBeNull();
    expect(out).toContain(`baton is running: open http://127.0.0.1:${port} for the dashboard`);
    expect(out).toMatch(/hello\/default/);
    // The worker is online before deploy runs, so deploy does not ask the user to start one.
    expect(out).not.toContain('start a worker that pulls work');

    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>baton</title>');

    const run = await baton(['deployment', 'run', 'hello/default', '--param', 'name=you', '--watch'], env, { timeout: 60_000 });
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain('Hello, you!');
    expect(run.stdout).toMatch(/finished in state Completed\.$/m);
  } finally {
    start.kill('SIGINT');
    await start;
  }
  expect(start.exitCode, out).toBe(0);
});
