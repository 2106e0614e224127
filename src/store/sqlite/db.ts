import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BatonError } from '../../domain/errors.js';

export type Db = Database.Database;

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/** Raised when the database file was written by a newer baton than this one. */
export class DatabaseTooNewError extends BatonError {
  override readonly name = 'DatabaseTooNewError';
}

interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 4)), name: f, sql: readFileSync(`${dir}/${f}`, 'utf8') }));
}

/**
 * Opens (creating if needed) the SQLite file with the settings baton relies on: WAL so readers
 * never block the writer, synchronous=NORMAL (durable at every checkpoint, fast commits), a busy
 * timeout as a last resort, and foreign keys on. Then applies pending migrations, each in its own
 * transaction together with its version row.
 */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 10000');
  db.pragma('foreign_keys = ON');
  db.pragma('cache_size = -32000');
  db.pragma('temp_store = MEMORY');
  migrate(db, path);
  cacheStatements(db);
  return db;
}

/**
 * Makes `db.prepare` return the same compiled statement for the same SQL text: preparing is most
 * of the cost of a small query, and the store issues the same few hundred statements all day. A
 * statement handed out again starts in its default mode (callers set `.pluck()` per use).
 */
function cacheStatements(db: Db): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = prepare(sql);
      // Dynamic SQL (IN lists of varying length) must not grow the cache without bound.
      if (cache.size >= 2000) cache.clear();
      cache.set(sql, stmt);
    } else if (stmt.reader) {
      stmt.pluck(false);
    }
    return stmt;
  }) as Db['prepare'];
}

export function migrate(db: Db, path: string, migrations: Migration[] = loadMigrations()): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied INTEGER NOT NULL)`);
  const applied = db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null };
  const current = applied.v ?? 0;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new DatabaseTooNewError(
      `The database ${path} has schema version ${current}, but this baton only knows versions up to ${latest}: ` +
        'it was written by a newer baton. Upgrade baton, or point BATON_DATABASE_PATH at another file.',
    );
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied) VALUES (?, ?, ?)');
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, Date.now());
    }).immediate();
  }
}
