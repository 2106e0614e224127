import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { baton, startTestServer, type BackgroundProcess } from '../helpers/processes.js';
import { tempDir } from '../helpers/tempDir.js';
import { apiClient, type Api } from '../helpers/workerEnv.js';

/**
 * `baton deploy` without a terminal, as CI runs it: options and baton.yaml only, every problem
 * reported before anything is written, --dry-run, and redeploys that keep what an operator did.
 * The project lives in a temporary directory; its flows import `baton` and `zod` without a
 * node_modules of their own.
 */
let home: ReturnType<typeof tempDir>;
let project: ReturnType<typeof tempDir>;
let server: BackgroundProcess;
let env: Record<string, string>;
let apiUrl: string;
let a: Api;

const ETL = `import { flow } from 'baton';
import { z } from 'zod';

export const etl = flow(
  {
    name: 'etl',
    description: 'Loads rows.',
    params: z.object({ day: z.string().optional(), rows: z.number().int().min(1).default(100) }),
  },
  async ({ rows }, { log }) => {
    log.info(\`loading \${rows} rows\`);
    return rows;
  },
);

export const notAFlow = 42;
`;

const REPORT = `import { flow } from 'baton';
export const report = flow({ name: 'report' }, async (_params, { log }) => log.info('report'));
`;

const FRESH = `import { flow } from 'baton';
export const fresh = flow({ name: 'fresh' }, async () => 'fresh');
`;

/** Three deployments of two flows, with anchors as prefect.yaml users write them. */
const BATON_YAML = `name: flags-project
definitions:
  pool: &pool
    name: flags-pool
  berlin: &berlin
    timezone: Europe/Berlin

deployments:
  - name: nightly
    entrypoint: flows/etl.ts:etl
    description: Nightly load.
    parameters:
      rows: 500
    work_pool: *pool
    schedules:
      - cron: "0 3 * * *"
        <<: *berlin
  - name: hourly
    entrypoint: flows/etl.ts:etl
    tags: [etl, hourly]
    work_pool: *pool
    schedules:
      - interval: 3600
  - name: daily
    entrypoint: flows/report.ts:report
    work_pool: *pool
    concurrency_limit: {limit: 1, collision_strategy: CANCEL_NEW}
`;

function write(file: string, text: string): void {
  mkdirSync(join(project.path, file, '..'), { recursive: true });
  writeFileSync(join(project.path, file), text);
}

function deploy(args: string[], extraEnv: Record<string, string> = {}) {
  return baton(['deploy', ...args], { ...env, ...extraEnv }, { cwd: project.path, timeout: 60_000 });
}

/** The 1-based line of the first line containing `needle`. */
function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
}

async function counts(): Promise<{ flows: number; deployments: number }> {
  return { flows: await a.post('/flows/count', {}), deployments: await a.post('/deployments/count', {}) };
}

async function patch(path: string, body: unknown): Promise<void> {
  const res = await fetch(`${apiUrl}${path}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
}

beforeAll(async () => {
  home = tempDir();
  project = tempDir('baton-deploy-flags-');
  const started = await startTestServer(home.path);
  server = started.server;
  env = started.env;
  apiUrl = started.apiUrl;
  a = apiClient(apiUrl);
  await a.post('/work_pools/', { name: 'flags-pool', type: 'process' });
  write('flows/etl.ts', ETL);
  write('flows/report.ts', REPORT);
});
afterAll(async () => {
  await server?.stop();
  home?.remove();
  project?.remove();
});

describe('without a terminal', () => {
  test('a missing pool is one line naming --pool, at once: no prompt, no wait', async () => {
    // How long this machine takes to start the CLI at all; deploy must add nothing that waits.
    const startedVersion = Date.now();
    await baton(['version'], env);
    const cliStart = Date.now() - startedVersion;

    const started = Date.now();
    const r = await baton(['deploy', 'flows/x.ts:x', '-n', 'a'], env, { cwd: project.path, timeout: 10_000 });
    const elapsed = Date.now() - started;
    expect(r.exitCode).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--pool');
    expect(elapsed).toBeLessThan(Math.max(1000, cliStart + 500));
  });

  test('a missing name is named the same way, and so is a missing entrypoint', async () => {
    const noName = await deploy(['flows/etl.ts:etl', '-p', 'flags-pool']);
    expect(noName.exitCode).toBe(1);
    expect(noName.stderr).toMatch(/Missing --name/);
    const nothing = await deploy([]);
    expect(nothing.exitCode).toBe(1);
    expect(nothing.stderr).toMatch(/Missing entrypoint: pass path\/to\/file\.ts:exportName/);
  });
});

describe('from options', () => {
  test('the default pool setting, and default parameters checked against the flow before anything is written', async () => {
    const before = await counts();
    const defaults = { BATON_DEFAULT_WORK_POOL_NAME: 'flags-pool' };
    const bad = await deploy(['flows/etl.ts:etl', '-n', 'adhoc', '--param', 'rows=0', '--param', 'day=5'], defaults);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain('etl/adhoc --param rows: must be >= 1');
    expect(bad.stderr).toContain('etl/adhoc --param day: must be string');
    expect(await counts()).toEqual(before);

    const notFlow = await deploy(['flows/etl.ts:notAFlow', '-n', 'adhoc'], defaults);
    expect(notFlow.stderr).toContain("flows/etl.ts:notAFlow: Export 'notAFlow' of 'flows/etl.ts' is not a flow");
    const noExport = await deploy(['flows/etl.ts:missing', '-n', 'adhoc'], defaults);
    expect(noExport.stderr).toContain("'flows/etl.ts' has no export 'missing' (exports: etl, notAFlow)");
    const noPool = await deploy(['flows/etl.ts:etl', '-n', 'adhoc', '-p', 'nope']);
    expect(noPool.stderr).toContain("--pool: work pool 'nope' does not exist");
    expect(await counts()).toEqual(before);

    const ok = await deploy(['./flows/etl.ts:etl', '-n', 'adhoc', '--param', 'rows=7', '--cron', '0 6 * * *', '--timezone', 'Europe/Berlin', '-t', 'x', '--no-enforce-parameter-schema'], defaults);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toMatch(/Deployment 'etl\/adhoc' successfully created with id '[0-9a-f-]{36}'\./);
    expect(ok.stdout).toContain('baton worker start --pool flags-pool');
    expect(ok.stdout).toContain("baton deployment run 'etl/adhoc'");
    const d = await a.get('/deployments/name/etl/adhoc');
    expect(d).toMatchObject({
      work_pool_name: 'flags-pool',
      entrypoint: 'flows/etl.ts:etl',
      path: project.path,
      description: 'Loads rows.',
      tags: ['x'],
      parameters: { rows: 7 },
      enforce_parameter_schema: false,
      pull_steps: null,
    });
    expect(d.parameter_openapi_schema.properties).toHaveProperty('rows');
    expect(d.schedules.map((s: { schedule: unknown }) => s.schedule)).toEqual([{ cron: '0 6 * * *', timezone: 'Europe/Berlin', day_or: true }]);

    // Not saying it again does not reset it.
    expect((await deploy(['flows/etl.ts:etl', '-n', 'adhoc'], defaults)).exitCode).toBe(0);
    expect((await a.get('/deployments/name/etl/adhoc')).enforce_parameter_schema).toBe(false);
  });
});

describe('baton.yaml', () => {
  test('--all creates all three deployments of two flows', async () => {
    write('baton.yaml', BATON_YAML);
    const r = await deploy(['--all']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout.match(/successfully created/g)).toHaveLength(3);
    const nightly = await a.get('/deployments/name/etl/nightly');
    expect(nightly).toMatchObject({ work_pool_name: 'flags-pool', parameters: { rows: 500 }, description: 'Nightly load.', paused: false });
    expect(nightly.schedules[0].schedule).toEqual({ cron: '0 3 * * *', timezone: 'Europe/Berlin', day_or: true });
    expect((await a.get('/deployments/name/etl/hourly')).tags).toEqual(['etl', 'hourly']);
    expect(await a.get('/deployments/name/report/daily')).toMatchObject({ concurrency_limit: 1, concurrency_options: { collision_strategy: 'CANCEL_NEW' } });
  });

  test('a wrong field type is reported with its path and line; with other problems, all are listed and nothing is written', async () => {
    const before = await counts();
    const bad = BATON_YAML.replace('tags: [etl, hourly]', 'tags: 5');
    write('bad.yaml', bad);
    const r = await deploy(['--all', '--baton-file', 'bad.yaml']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`bad.yaml:${lineOf(bad, 'tags: 5')} deployments[1].tags: expected a list, got 5`);

    const semantic = BATON_YAML.replace('rows: 500', 'rows: "five"').replace('"0 3 * * *"', '"0 3 * *"').replace('flows/report.ts:report', 'flows/etl.ts:notAFlow');
    write('semantic.yaml', semantic);
    const s = await deploy(['--all', '--baton-file', 'semantic.yaml']);
    expect(s.exitCode).toBe(1);
    const lines = s.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/Nothing was deployed: 3 problems to fix first:/);
    expect(lines[1]).toContain(`semantic.yaml:${lineOf(semantic, 'rows: "five"')} deployments[0].parameters.rows: must be integer`);
    expect(lines[2]).toContain(`semantic.yaml:${lineOf(semantic, '"0 3 * *"')} deployments[0].schedules[0].cron: '0 3 * *' is invalid`);
    expect(lines[3]).toContain(`semantic.yaml:${lineOf(semantic, 'notAFlow')} deployments[2].entrypoint: Export 'notAFlow' of 'flows/etl.ts' is not a flow`);
    expect(await counts()).toEqual(before);
  });

  test('options describe one deployment: with several selected they are refused', async () => {
    const r = await deploy(['--all', '--pool', 'flags-pool', '--cron', '0 1 * * *']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('--pool, --cron describe one deployment, and 3 are selected');
    const several = await deploy([]);
    expect(several.stderr).toContain('baton.yaml has 3 deployments and no name was given');
  });

  test('--dry-run checks everything, prints the diff field by field, and writes nothing', async () => {
    write('flows/fresh.ts', FRESH);
    write(
      'changed.yaml',
      `${BATON_YAML.replace('description: Nightly load.', 'description: Nightly load, v2.').replace('      - interval: 3600', '      - interval: 3600\n      - cron: "0 6 * * *"\n        <<: *berlin')}
  - name: default
    entrypoint: flows/fresh.ts:fresh
    work_pool: *pool
`,
    );
    const before = await counts();
    const r = await deploy(['--all', '--dry-run', '--baton-file', 'changed.yaml']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('~ etl/nightly\n    ~ description: "Nightly load." → "Nightly load, v2."');
    expect(r.stdout).toContain('~ etl/hourly\n    + schedule cron 0 6 * * * (Europe/Berlin)');
    expect(r.stdout).toContain('= report/daily: unchanged');
    expect(r.stdout).toContain('+ fresh/default (new deployment)\n    + entrypoint: flows/fresh.ts:fresh');
    expect(r.stdout).toContain("(flow 'fresh' will be created)");
    expect(r.stdout).toContain('Dry run: 1 to create, 2 to change, 1 unchanged. Nothing was written.');
    expect(await counts()).toEqual(before);
    expect((await a.get('/deployments/name/etl/nightly')).description).toBe('Nightly load.');
  });

  test('a redeploy keeps a paused deployment paused, a schedule an operator paused paused, and runs made by hand', async () => {
    const nightly = await a.get('/deployments/name/etl/nightly');
    const hourly = await a.get('/deployments/name/etl/hourly');
    await a.post(`/deployments/${nightly.id}/pause_deployment`, {});
    await patch(`/deployments/${hourly.id}/schedules/${hourly.schedules[0].id}`, { active: false });
    const manual = await a.post(`/deployments/${hourly.id}/create_flow_run`, { state: { type: 'SCHEDULED', name: 'Scheduled' } });

    const dry = await deploy(['--all', '--dry-run']);
    expect(dry.stdout).toContain('= etl/nightly: unchanged\n    = paused: stays paused');
    expect(dry.stdout).toContain('= etl/hourly: unchanged\n    = schedule interval 3600s: stays paused (an operator paused it)');

    const r = await deploy(['--all']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("Deployment 'etl/nightly' successfully updated");
    expect((await a.get('/deployments/name/etl/nightly')).paused).toBe(true);
    const after = await a.get('/deployments/name/etl/hourly');
    expect(after.schedules.map((s: { active: boolean }) => s.active)).toEqual([false]);
    expect((await a.get(`/flow_runs/${manual.id}`)).id).toBe(manual.id);

    // Changing a schedule's time replaces it: the new one is active, as written.
    write('baton.yaml', BATON_YAML.replace('interval: 3600', 'interval: 1800'));
    expect((await deploy(['-n', 'etl/hourly'])).exitCode).toBe(0);
    const changed = await a.get('/deployments/name/etl/hourly');
    expect(changed.schedules.map((s: { schedule: { interval: number }; active: boolean }) => [s.schedule.interval, s.active])).toEqual([[1800, true]]);
    expect((await a.get(`/flow_runs/${manual.id}`)).id).toBe(manual.id);
  });
});
