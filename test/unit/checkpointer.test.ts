import Database from 'better-sqlite3';
import { copyFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Checkpointer } from '../../src/store/sqlite/checkpointer.js';
import { openDatabase, type Db } from '../../src/store/sqlite/db.js';
import { tempDir } from '../helpers/tempDir.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function database(): { db: Db; path: string } {
  const dir = tempDir();
  const path = join(dir.path, 'baton.db');
  const db = openDatabase(path);
  db.exec('CREATE TABLE blob (b BLOB)');
  db.pragma('wal_checkpoint(TRUNCATE)');
  cleanups.push(() => dir.remove());
  cleanups.push(() => {
    if (db.open) db.close();
  });
  return { db, path };
}

/** Commits `count` transactions of 256 KiB, a little apart, and returns the WAL file's size. */
async function write(db: Db, path: string, count: number): Promise<number> {
  const insert = db.prepare('INSERT INTO blob (b) VALUES (?)');
  for (let i = 0; i < count; i++) {
    insert.run(Buffer.alloc(256 * 1024, i));
    await new Promise((r) => setTimeout(r, 15));
  }
  return statSync(`${path}-wal`).size;
}

const autoCheckpoint = (db: Db): number => db.pragma('wal_autocheckpoint', { simple: true }) as number;

describe('background WAL checkpoints', () => {
  it('keep the WAL small while the main connection never checkpoints itself', async () => {
    // Control: with automatic checkpoints off and no thread, 10 MiB of commits stay in the WAL.
    const control = database();
    control.db.pragma('wal_autocheckpoint = 0');
    expect(await write(control.db, control.path, 40)).toBeGreaterThan(10 * 1024 * 1024);

    const { db, path } = database();
    const checkpointer = Checkpointer.start(db, path, { intervalMs: 10 });
    cleanups.push(() => checkpointer.stop());
    expect(autoCheckpoint(db)).toBe(0);
    expect(await write(db, path, 40)).toBeLessThan(4 * 1024 * 1024);
  });

  it('stop makes a last checkpoint and gives automatic checkpoints back to the main connection', async () => {
    const { db, path } = database();
    const checkpointer = Checkpointer.start(db, path, { intervalMs: 60_000 });
    await write(db, path, 4);
    const fileRows = (): number => {
      // The database file alone, without its WAL: what checkpoints have copied into it.
      const copy = `${path}.copy`;
      copyFileSync(path, copy);
      const alone = new Database(copy);
      try {
        return alone.prepare('SELECT count(*) FROM blob').pluck().get() as number;
      } finally {
        alone.close();
      }
    };
    expect(fileRows()).toBe(0);
    await checkpointer.stop();
    expect(fileRows()).toBe(4);
    expect(autoCheckpoint(db)).toBe(1000);
  });

  it('a thread that cannot open the database reports it and hands checkpoints back', async () => {
    const { db } = database();
    const errors: string[] = [];
    const checkpointer = Checkpointer.start(db, '/nonexistent/baton/baton.db', { intervalMs: 10, onError: (m) => errors.push(m) });
    await expect.poll(() => errors.length).toBeGreaterThan(0);
    await checkpointer.stop();
    expect(errors[0]).toMatch(/directory does not exist|unable to open/i);
    expect(autoCheckpoint(db)).toBe(1000);
  });
});
