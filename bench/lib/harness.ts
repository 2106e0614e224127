import { execa } from 'execa';
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BATON_BIN = join(ROOT, 'bin/baton.js');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface Env {
  home: string;
  apiUrl: string;
  env: Record<string, string>;
  cleanup: () => void;
}

/** A temporary BATON_HOME and a free port for a benchmark's server. */
export async function benchEnv(extra: Record<string, string> = {}): Promise<Env> {
  const home = mkdtempSync(join(tmpdir(), 'baton-bench-'));
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}/api`;
  return {
    home,
    apiUrl,
    env: { ...process.env, BATON_HOME: home, BATON_API_URL: apiUrl, BATON_SERVER_PORT: String(port), NO_COLOR: '1', BATON_LOGGING_LEVEL: 'warn', ...extra } as Record<string, string>,
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
}

export function spawnBaton(args: string[], env: Record<string, string>) {
  const proc = execa(process.execPath, [BATON_BIN, ...args], { env, reject: false, stdin: 'ignore', all: true, buffer: false });
  let output = '';
  proc.all?.on('data', (d: Buffer) => (output += d.toString()));
  return {
    proc,
    output: () => output,
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await proc;
      clearTimeout(t);
    },
  };
}

export async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function startServer(e: Env) {
  const server = spawnBaton(['server', 'start'], e.env);
  await until(async () => (await fetch(`${e.apiUrl}/health`)).ok, 30_000, 'the server');
  return server;
}

/**
 * A JSON client over node:http with keep-alive: light enough that the benchmark measures the
 * server, not the client (Node's fetch costs several times more CPU per request on this machine,
 * and the client shares the machine's two cores with the server).
 */
export function api(apiUrl: string) {
  const base = new URL(apiUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const call = (method: string, path: string, body?: unknown): Promise<any> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const req = http.request(
        { host: base.hostname, port: base.port, path: `${base.pathname}${path}`, method, agent, headers: payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {} },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if ((res.statusCode ?? 500) >= 400) reject(new Error(`${method} ${path}: ${res.statusCode} ${text.slice(0, 300)}`));
            else resolve(text === '' ? undefined : JSON.parse(text));
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body: unknown = {}) => call('POST', path, body),
    patch: (path: string, body: unknown) => call('PATCH', path, body),
  };
}

/** RSS of a process in MB, from /proc. */
export function rssMb(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
    return Math.round((kb / 1024) * 10) / 10;
  } catch {
    return Number.NaN;
  }
}
