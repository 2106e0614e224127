import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './db.js';

/** SQLite's own threshold, restored on the main connection whenever the thread is not running. */
const AUTO_CHECKPOINT_PAGES = 1000;

// The thread's whole program. It is plain JavaScript passed as a string so it runs the same from
// the compiled server and from the TypeScript sources under test.
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

/**
 * Checkpoints the WAL from a worker thread with its own connection. SQLite otherwise checkpoints
 * inside whichever commit crosses 1,000 WAL pages: the event loop then copies those pages into the
 * database file and waits for its fsync (about 15% of the server's CPU under a stream of run
 * creations, and a pause for every request queued behind that commit). A PASSIVE checkpoint never
 * blocks the writer, so the main connection keeps committing while the thread copies.
 */
export class Checkpointer {
  private constructor(
    private readonly db: Db,
    private readonly worker: Worker,
    private readonly exited: Promise<void>,
  ) {}

  static start(db: Db, path: string, options: { intervalMs?: number; onError?: (message: string) => void } = {}): Checkpointer {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(THREAD, { eval: true, workerData: { path, driver, intervalMs: options.intervalMs ?? 250 } });
    worker.unref();
    db.pragma('wal_autocheckpoint = 0');
    const restore = (): void => {
      if (db.open) db.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
    };
    worker.on('message', (m: { error?: string }) => {
      if (m.error) options.onError?.(m.error);
    });
    const exited = new Promise<void>((resolve) => {
      worker.on('error', (error) => {
        options.onError?.(error.message);
        restore();
      });
      worker.on('exit', () => {
        restore();
        resolve();
      });
    });
    return new Checkpointer(db, worker, exited);
  }

  /** Asks the thread for a last checkpoint and waits for it to close its connection. */
  async stop(): Promise<void> {
    // The thread is unref'd so it never holds the process open; while we wait for it, it must, or
    // a server that stops right after starting (a busy port) would exit before the thread has
    // finished, with nothing left on its event loop.
    this.worker.ref();
    this.worker.postMessage('stop');
    await this.exited;
  }
}
