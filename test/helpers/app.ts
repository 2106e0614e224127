import { join } from 'node:path';
import { ManualClock, systemClock, type Clock } from '../../src/domain/time.js';
import { buildApp, type App } from '../../src/server/app.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';
import { tempDir } from './tempDir.js';

export interface TestApp {
  app: App;
  store: SqliteStore;
  clock: Clock;
  dir: string;
  close: () => Promise<void>;
  /** Sends a JSON request and returns status and parsed body. */
  call: (method: string, url: string, body?: unknown) => Promise<{ status: number; body: any }>;
}

/** The real app on a real SQLite file in a temporary directory. */
export async function testApp(options: { clock?: Clock | 'manual' } = {}): Promise<TestApp> {
  const dir = tempDir();
  const clock = options.clock === 'manual' ? new ManualClock(Date.parse('2026-01-01T00:00:00Z')) : (options.clock ?? systemClock);
  const store = SqliteStore.open(join(dir.path, 'baton.db'), clock);
  const app = await buildApp({ store, clock, logger: false });
  await app.ready();
  const call = async (method: string, url: string, body?: unknown) => {
    const res = await app.inject({
      method: method as 'GET',
      url,
      ...(body === undefined ? {} : { payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    let parsed: unknown = res.body;
    try {
      parsed = res.body === '' ? undefined : JSON.parse(res.body);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.statusCode, body: parsed as any };
  };
  return {
    app,
    store,
    clock,
    dir: dir.path,
    call,
    close: async () => {
      await app.close();
      await store.close();
      dir.remove();
    },
  };
}
