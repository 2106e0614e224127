import { afterAll, beforeAll, expect, test } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { baton, batonEnv, freePort, startBaton, startTestServer, type BackgroundProcess } from '../helpers/processes.js';
import { tempDir } from '../helpers/tempDir.js';

/** The tutorial's first step with the real `bin/baton.js`: server, pool create, ls, restart. */
let home: ReturnType<typeof tempDir>;
let env: Record<string, string>;
let server: BackgroundProcess;

beforeAll(async () => {
  home = tempDir();
  const started = await startTestServer(home.path);
  env = started.env;
  server = started.server;
});
afterAll(async () => {
  await server?.stop();
  home.remove();
});

test('the banner tells how to point clients at the server and where the docs are', () => {
  const out = server.output();
  expect(out).toContain(`baton config set BATON_API_URL=${env.BATON_API_URL}`);
  expect(out).toContain(`${env.BATON_API_URL?.replace(/\/api$/, '')}/docs`);
});

test('create, list (table and json), refuse a duplicate, and survive a restart', async () => {
  const created = await baton(['work-pool', 'create', '--type', 'process', 'my-process-pool'], env);
  expect(created.exitCode, created.stderr).toBe(0);
  expect(created.stdout).toContain("Created work pool 'my-process-pool'!");
  expect(created.stdout).toContain('baton worker start --pool my-process-pool');

  const ls = await baton(['work-pool', 'ls'], env);
  expect(ls.exitCode).toBe(0);
  const row = ls.stdout.split('\n').find((l) => l.includes('my-process-pool'));
  expect(row).toMatch(/my-process-pool\s+│ process\s+│ [0-9a-f-]{36} │ None\s+│ Not ready/);

  const dup = await baton(['work-pool', 'create', '--type', 'process', 'my-process-pool'], env);
  expect(dup.exitCode).toBe(1);
  expect(dup.stderr.trim().split('\n')).toHaveLength(1);
  expect(dup.stderr).toContain("Work pool named 'my-process-pool' already exists. Use --overwrite to update it.");

  const json = await baton(['work-pool', 'ls', '-o', 'json'], env);
  const pools = JSON.parse(json.stdout) as { name: string; type: string }[];
  expect(pools.map((p) => p.name)).toEqual(['my-process-pool']);

  await server.stop();
  expect(server.proc.exitCode).toBe(0);
  const port = Number(env.BATON_SERVER_PORT);
  server = startBaton(['server', 'start', '--port', String(port)], env);
  const deadline = Date.now() + 20_000;
  while (!(await fetch(`${env.BATON_API_URL}/health`).then((r) => r.ok, () => false))) {
    if (Date.now() > deadline) throw new Error(server.output());
    await new Promise((r) => setTimeout(r, 50));
  }
  const inspect = await baton(['work-pool', 'inspect', 'my-process-pool', '-o', 'json'], env);
  expect(JSON.parse(inspect.stdout)).toMatchObject({ name: 'my-process-pool', type: 'process' });
});

test('pause marks the pool in ls; limits set and clear; queues are managed under --pool', async () => {
  await baton(['work-pool', 'create', 'etl'], env);
  expect((await baton(['work-pool', 'pause', 'etl'], env)).stdout).toContain("Paused work pool 'etl'");
  expect((await baton(['work-pool', 'ls'], env)).stdout).toMatch(/etl \(\*\*\)/);
  await baton(['work-pool', 'resume', 'etl'], env);
  await baton(['work-pool', 'set-concurrency-limit', 'etl', '4'], env);
  let pool = JSON.parse((await baton(['work-pool', 'inspect', 'etl', '-o', 'json'], env)).stdout);
  expect(pool).toMatchObject({ is_paused: false, concurrency_limit: 4 });
  await baton(['work-pool', 'clear-concurrency-limit', 'etl'], env);
  pool = JSON.parse((await baton(['work-pool', 'inspect', 'etl', '-o', 'json'], env)).stdout);
  expect(pool.concurrency_limit).toBeNull();

  const q = await baton(['work-queue', 'create', 'urgent', '--pool', 'etl', '--priority', '1', '--limit', '2'], env);
  expect(q.exitCode, q.stderr).toBe(0);
  const queues = JSON.parse((await baton(['work-queue', 'ls', '--pool', 'etl', '-o', 'json'], env)).stdout);
  expect(queues.map((x: { name: string; priority: number }) => `${x.name}:${x.priority}`)).toEqual(['urgent:1', 'default:2']);
  await baton(['work-queue', 'pause', 'urgent', '--pool', 'etl'], env);
  await baton(['work-queue', 'clear-concurrency-limit', 'urgent', '--pool', 'etl'], env);
  const urgent = JSON.parse((await baton(['work-queue', 'inspect', 'urgent', '--pool', 'etl', '-o', 'json'], env)).stdout);
  expect(urgent).toMatchObject({ is_paused: true, concurrency_limit: null, status_details: { healthy: false } });
  const del = await baton(['work-queue', 'delete', 'default', '--pool', 'etl'], env);
  expect(del.exitCode).toBe(1);
  expect(del.stderr).toMatch(/default queue/);
  expect((await baton(['work-queue', 'delete', 'urgent', '--pool', 'etl'], env)).exitCode).toBe(0);
  expect((await baton(['work-pool', 'delete', 'etl'], env)).stdout).toContain("Deleted work pool 'etl'");
});

test('errors are one line with a non-zero exit: unknown pool, bad output format, bad number, unreachable server', async () => {
  const missing = await baton(['work-pool', 'inspect', 'nope'], env);
  expect(missing.exitCode).toBe(1);
  expect(missing.stderr.trim()).toBe('Error: Work pool "nope" not found.');
  const yaml = await baton(['work-pool', 'ls', '-o', 'yaml'], env);
  expect(yaml.stderr.trim()).toBe("Error: Only 'json' output format is supported.");
  const badLimit = await baton(['work-pool', 'create', 'x', '--concurrency-limit', '-2'], env);
  expect(badLimit.exitCode).not.toBe(0);
  const deadPort = await freePort();
  const offline = await baton(['work-pool', 'ls'], batonEnv(home.path, deadPort));
  expect(offline.exitCode).toBe(1);
  expect(offline.stderr.trim().split('\n')).toHaveLength(1);
  expect(offline.stderr).toContain(`Cannot reach the baton server at http://127.0.0.1:${deadPort}/api`);
  expect(offline.stderr).toContain('baton server start');
});

test('a busy port or an unwritable home is one clear line, not a stack', async () => {
  const busy = await baton(['server', 'start'], env, { timeout: 15_000 });
  expect(busy.exitCode).toBe(1);
  expect(busy.stderr.trim()).toMatch(/^Error: Port \d+ on 127\.0\.0\.1 is already in use/);
  // A home below a regular file cannot be created, even by root (file modes would not stop root).
  const file = join(home.path, 'a-file');
  writeFileSync(file, '');
  const unwritable = await baton(['server', 'start'], batonEnv(join(file, 'home'), await freePort()), { timeout: 15_000 });
  expect(unwritable.exitCode).toBe(1);
  expect(unwritable.stderr.trim().split('\n')).toHaveLength(1);
  expect(unwritable.stderr).toMatch(/^Error: Cannot write to .*a-file\/home \(ENOTDIR\): set BATON_HOME or BATON_DATABASE_PATH/);
});

test('config set / view / unset, with unknown keys refused listing the valid ones', async () => {
  const set = await baton(['config', 'set', 'BATON_SERVER_PORT=4999'], env);
  expect(set.stdout).toContain("Set 'BATON_SERVER_PORT' to '4999'.");
  expect(set.stdout).toContain('also set in the environment');
  const view = await baton(['config', 'view', '--show-sources'], { ...env, BATON_SERVER_PORT: '' });
  expect(view.stdout).toContain("BATON_SERVER_PORT='4999' (from config file)");
  expect(view.stdout).toMatch(/BATON_API_URL='.*' \(from env\)/);
  const unknown = await baton(['config', 'set', 'BATON_NOPE=1'], env);
  expect(unknown.exitCode).toBe(1);
  expect(unknown.stderr).toContain('Valid settings: BATON_API_URL');
  const invalid = await baton(['config', 'set', 'BATON_SERVER_PORT=99999'], env);
  expect(invalid.exitCode).toBe(1);
  expect((await baton(['config', 'unset', 'BATON_SERVER_PORT'], env)).stdout).toContain("Unset 'BATON_SERVER_PORT'.");
});
