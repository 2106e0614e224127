import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestServer, type BackgroundProcess } from '../helpers/processes.js';
import { tempDir } from '../helpers/tempDir.js';
import { scale } from './scale.js';

/**
 * Malformed requests generated from the server's own OpenAPI document (wrong types, missing and
 * extra fields, huge values, bad JSON, bad UTF-8, wrong content types, bad path parameters):
 * no answer is a 5xx, the server stays up, and the database is unchanged.
 */
let home: ReturnType<typeof tempDir>;
let server: BackgroundProcess;
let apiUrl = '';

beforeAll(async () => {
  home = tempDir();
  const started = await startTestServer(home.path);
  server = started.server;
  apiUrl = started.apiUrl;
  const post = (path: string, body: unknown): Promise<{ id: string }> =>
    fetch(`${apiUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<{ id: string }>);
  await post('/work_pools/', { name: 'pool' });
  const flow = await post('/flows/', { name: 'flow' });
  const deployment = await post('/deployments/', { name: 'dep', flow_id: flow.id, work_pool_name: 'pool' });
  await post(`/deployments/${deployment.id}/create_flow_run`, {});
});
afterAll(async () => {
  await server?.stop();
  home.remove();
});

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  format?: string;
  minimum?: number;
  maxLength?: number;
}
interface Operation {
  parameters?: { in: string; name: string; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

function fingerprint(): string {
  const db = new Database(join(home.path, 'baton.db'), { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
    const hash = createHash('sha256');
    for (const t of tables) hash.update(`${t}:${JSON.stringify(db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).all())}`);
    return hash.digest('hex');
  } finally {
    db.close();
  }
}

function typeOf(s: Schema | undefined): string {
  if (!s) return 'unknown';
  if (Array.isArray(s.type)) return s.type.find((t) => t !== 'null') ?? 'unknown';
  if (s.type) return s.type;
  const first = s.anyOf?.find((a) => a.type !== 'null');
  return first ? typeOf(first) : 'unknown';
}

/** A value of the wrong type for a schema. */
function wrongValue(s: Schema | undefined): unknown {
  switch (typeOf(s)) {
    case 'string':
      return 12345;
    case 'number':
    case 'integer':
      return 'not a number';
    case 'boolean':
      return 'yes';
    case 'array':
      return { not: 'an array' };
    case 'object':
      return ['not', 'an', 'object'];
    default:
      return undefined;
  }
}

/** A value that has the right type but is out of bounds or absurdly large. */
function hugeValue(s: Schema | undefined): unknown {
  switch (typeOf(s)) {
    case 'string':
      return s?.format === 'uuid' ? 'not-a-uuid' : 'x'.repeat((s?.maxLength ?? 100_000) + 1);
    case 'number':
    case 'integer':
      return s?.minimum !== undefined ? s.minimum - 1 : 1e308;
    default:
      return undefined;
  }
}

/** A value for a path parameter: a real-looking one, so the body is what is wrong. */
function pathValue(name: string, schema: Schema | undefined): string {
  if (schema?.format === 'uuid' || name === 'id') return '00000000-0000-7000-8000-000000000000';
  return name === 'pool' || name === 'name' ? 'pool' : 'x';
}

interface Case {
  what: string;
  method: string;
  url: string;
  body?: string | Buffer;
  contentType?: string;
}

function cases(spec: { paths: Record<string, Record<string, Operation>> }): Case[] {
  const out: Case[] = [];
  for (const [path, methods] of Object.entries(spec.paths)) {
    if (!path.startsWith('/api/')) continue;
    for (const [method, op] of Object.entries(methods)) {
      const params = op.parameters ?? [];
      const url = (values: Record<string, string> = {}) =>
        `${apiUrl.replace(/\/api$/, '')}${path.replace(/\{(\w+)\}/g, (_m, n: string) => encodeURIComponent(values[n] ?? pathValue(n, params.find((p) => p.name === n)?.schema)))}`;
      for (const p of params.filter((p) => p.in === 'path')) {
        out.push({ what: `${method} ${path}: a 5,000-character ${p.name}`, method, url: url({ [p.name]: 'n'.repeat(5000) }) });
        if (p.schema?.format === 'uuid') out.push({ what: `${method} ${path}: ${p.name} not a UUID`, method, url: url({ [p.name]: 'nope' }) });
      }
      const schema = op.requestBody?.content?.['application/json']?.schema;
      if (!schema) continue;
      const u = url();
      out.push({ what: `${method} ${path}: invalid JSON`, method, url: u, body: '{"oops": ' });
      out.push({ what: `${method} ${path}: bad UTF-8`, method, url: u, body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]) });
      out.push({ what: `${method} ${path}: text/plain`, method, url: u, body: '{}', contentType: 'text/plain' });
      if (typeOf(schema) === 'array') {
        out.push({ what: `${method} ${path}: an object instead of an array`, method, url: u, body: '{"a": 1}' });
        if (schema.items) out.push({ what: `${method} ${path}: an array of numbers`, method, url: u, body: '[1, 2, 3]' });
        continue;
      }
      out.push({ what: `${method} ${path}: an array instead of an object`, method, url: u, body: '[]' });
      out.push({ what: `${method} ${path}: an unknown field`, method, url: u, body: JSON.stringify({ zz_unknown_field: 1 }) });
      for (const [name, prop] of Object.entries(schema.properties ?? {})) {
        const wrong = wrongValue(prop);
        if (wrong !== undefined) out.push({ what: `${method} ${path}: ${name} of the wrong type`, method, url: u, body: JSON.stringify({ [name]: wrong }) });
        const huge = hugeValue(prop);
        if (huge !== undefined) out.push({ what: `${method} ${path}: ${name} out of bounds`, method, url: u, body: JSON.stringify({ [name]: huge }) });
      }
      for (const name of schema.required ?? []) {
        const rest = Object.fromEntries((schema.required ?? []).filter((r) => r !== name).map((r) => [r, 'x']));
        out.push({ what: `${method} ${path}: ${name} missing`, method, url: u, body: JSON.stringify(rest) });
      }
    }
  }
  return out;
}

test('hundreds of malformed requests from the OpenAPI schema: no 5xx, the server stays up, the database is unchanged', async () => {
  const spec = (await (await fetch(`${apiUrl.replace(/\/api$/, '')}/openapi.json`)).json()) as { paths: Record<string, Record<string, Operation>> };
  const all = cases(spec);
  expect(all.length).toBeGreaterThanOrEqual(200);
  const chosen = all.slice(0, scale(all.length, all.length));
  const before = fingerprint();
  const failures: string[] = [];
  for (const c of chosen) {
    const res = await fetch(c.url, {
      method: c.method.toUpperCase(),
      ...(c.body === undefined ? {} : { body: c.body, headers: { 'content-type': c.contentType ?? 'application/json' } }),
    });
    const text = await res.text();
    if (res.status >= 500) failures.push(`${c.what} → ${res.status} ${text.slice(0, 200)}`);
    if (res.status < 400) failures.push(`${c.what} → accepted (${res.status}): ${text.slice(0, 200)}`);
  }
  expect(failures).toEqual([]);
  expect((await fetch(`${apiUrl}/health`)).ok).toBe(true);
  expect(fingerprint()).toBe(before);
  console.log(`malformed requests: ${chosen.length} sent, 0 answered ≥ 500, database unchanged`);
}, 120_000);
