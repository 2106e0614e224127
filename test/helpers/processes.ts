import { execa } from 'execa';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const BATON_BIN = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Environment for a test's baton processes: its own home and server, no colours. */
export function batonEnv(home: string, port: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    BATON_HOME: home,
    BATON_API_URL: `http://127.0.0.1:${port}/api`,
    BATON_SERVER_PORT: String(port),
    NO_COLOR: '1',
    ...extra,
  };
}

/** Runs a baton command to completion (never throws on a non-zero exit). */
export async function baton(args: string[], env: Record<string, string>, options: { cwd?: string; input?: string; timeout?: number } = {}) {
  return execa(process.execPath, [BATON_BIN, ...args], {
    env,
    reject: false,
    timeout: options.timeout ?? 30_000,
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' }),
  });
}

/** Polls `check` until it returns true or the timeout passes. */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function spawnBaton(args: string[], env: Record<string, string>, cwd?: string) {
  return execa(process.execPath, [BATON_BIN, ...args], {
    env,
    reject: false,
    stdin: 'ignore',
    all: true,
    ...(cwd ? { cwd } : {}),
  });
}

export interface BackgroundProcess {
  proc: ReturnType<typeof spawnBaton>;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<void>;
}

/** Starts a long-running baton command (server, worker) and collects its output. */
export function startBaton(args: string[], env: Record<string, string>, options: { cwd?: string } = {}): BackgroundProcess {
  const proc = spawnBaton(args, env, options.cwd);
  let out = '';
  proc.all?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return {
    proc,
    output: () => out,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await proc;
      clearTimeout(timer);
    },
  };
}

/** Starts `baton server start` on a free port and waits until it answers. */
export async function startTestServer(home: string, extraEnv: Record<string, string> = {}) {
  const port = await freePort();
  const env = batonEnv(home, port, extraEnv);
  const server = startBaton(['server', 'start'], env);
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (server.proc.exitCode !== null) throw new Error(`the server exited: ${server.output()}`);
    const up = await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.ok, () => false);
    if (up) break;
    if (Date.now() > deadline) throw new Error(`the server did not answer within 20 s: ${server.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, env, apiUrl: env.BATON_API_URL as string, server };
}
