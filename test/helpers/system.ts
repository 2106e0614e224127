import { afterAll, beforeAll } from 'vitest';
import { startBaton, startTestServer, waitFor, type BackgroundProcess } from './processes.js';
import { tempDir } from './tempDir.js';
import { apiClient, startWorker, type Api } from './workerEnv.js';

export interface System {
  /** BATON_HOME of this system. */
  readonly home: string;
  readonly env: Record<string, string>;
  readonly apiUrl: string;
  readonly api: Api;
  readonly server: BackgroundProcess;
  /** Starts `baton worker start …`; stopped with the system. */
  worker(args: string[], env?: Record<string, string>): BackgroundProcess;
  stopServer(): Promise<void>;
  /** Starts the server again on the same home and port, and waits until it answers. */
  startServer(): Promise<void>;
}

/**
 * A real `baton server start` on a temporary home for the tests of one file, with every worker
 * they start; all of it is stopped and removed after the file's tests.
 */
export function useSystem(extraEnv: Record<string, string> = {}): System {
  let home: ReturnType<typeof tempDir> | undefined;
  let server: BackgroundProcess | undefined;
  let env: Record<string, string> = {};
  let apiUrl = '';
  let api: Api | undefined;
  const workers: BackgroundProcess[] = [];
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the system's ${what} is used before beforeAll ran`);
    return value;
  };

  beforeAll(async () => {
    home = tempDir();
    const started = await startTestServer(home.path, extraEnv);
    server = started.server;
    env = { ...started.env, ...extraEnv };
    apiUrl = started.apiUrl;
    api = apiClient(apiUrl);
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await server?.stop();
    home?.remove();
  });

  return {
    get home() {
      return need(home, 'home').path;
    },
    get env() {
      return env;
    },
    get apiUrl() {
      return apiUrl;
    },
    get api() {
      return need(api, 'API client');
    },
    get server() {
      return need(server, 'server');
    },
    worker(args, workerEnv = {}) {
      const w = startWorker({ ...env, ...workerEnv }, args);
      workers.push(w);
      return w;
    },
    async stopServer() {
      await server?.stop();
    },
    async startServer() {
      server = startBaton(['server', 'start'], env);
      await waitFor(async () => (await fetch(`${apiUrl}/health`)).ok, 20_000, 'the server to answer');
    },
  };
}
