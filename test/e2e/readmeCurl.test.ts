import { afterAll, beforeAll, expect, test } from 'vitest';
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startTestServer, type BackgroundProcess } from '../helpers/processes.js';
import { tempDir } from '../helpers/tempDir.js';

/** The README's curl recipe, run verbatim with `bash -e` against a real server. */
const README = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');

/** The fenced blocks of one language under a `## heading`, up to the next `## `. */
function blocksUnder(heading: string, lang: string): string[] {
  const start = README.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README has no section '## ${heading}'`);
  const end = README.indexOf('\n## ', start + 1);
  const section = README.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(new RegExp('^```' + lang + '\\n([\\s\\S]*?)^```$', 'gm'))].map((m) => m[1] as string);
}

/** The `hello` flow's parameter schema as `baton deploy` writes it from `z.object({ name: z.string().default('world') })`. */
const HELLO_SCHEMA = { type: 'object', properties: { name: { default: 'world', type: 'string' } } };

let home: ReturnType<typeof tempDir>;
let apiUrl: string;
let server: BackgroundProcess;
let deploymentId: string;

async function api<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${apiUrl}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

beforeAll(async () => {
  home = tempDir();
  const started = await startTestServer(home.path);
  apiUrl = started.apiUrl;
  server = started.server;
  expect((await api('POST', '/work_pools/', { name: 'examples', type: 'process' })).status).toBe(201);
  const flow = (await api('POST', '/flows/', { name: 'hello' })).body;
  const res = await api('POST', '/deployments/', {
    name: 'default',
    flow_id: flow.id,
    entrypoint: 'flows/hello.ts:hello',
    work_pool_name: 'examples',
    parameter_openapi_schema: HELLO_SCHEMA,
  });
  expect(res.status).toBe(201);
  deploymentId = res.body.id;
});
afterAll(async () => {
  await server?.stop();
  home?.remove();
});

test('the curl recipe finds hello/default, creates a run with parameters and prints its state', async () => {
  const [script] = blocksUnder('Trigger a run with curl', 'bash');
  expect(script).toContain('BATON_API_URL="${BATON_API_URL:-http://127.0.0.1:4200/api}"');
  // Only curl and node: jq is not installed by default.
  expect((script as string).replace(/#.*$/gm, '')).not.toMatch(/\bjq\b/);
  const result = await execa('bash', ['-e', '-c', script as string], { env: { BATON_API_URL: apiUrl }, reject: false, timeout: 30_000 });
  expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);

  const runs = (await api<{ id: string; parameters: Record<string, unknown>; deployment_id: string }[]>('POST', '/flow_runs/filter', {})).body;
  expect(runs).toHaveLength(1);
  const [run] = runs;
  expect(run).toMatchObject({ deployment_id: deploymentId, parameters: { name: 'curl' } });
  expect(result.stdout).toContain(run?.id);
  expect(result.stdout.trim().split('\n').at(-1)).toBe('Scheduled');
});

test("the README's 422 example is what the server answers for a bad parameter", async () => {
  const [example] = blocksUnder('Trigger a run with curl', 'json');
  const res = await api('POST', `/deployments/${deploymentId}/create_flow_run`, { parameters: { name: 5 } });
  expect(res.status).toBe(422);
  expect(res.body).toEqual(JSON.parse(example as string));
});
