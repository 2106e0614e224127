import { NotFoundError } from '../../domain/errors.js';
import { uuid7 } from '../../domain/ids.js';
import type { WorkerFilter } from '../../domain/schemas/filters.js';
import type { Worker, WorkerHeartbeat } from '../../domain/schemas/workPools.js';
import { workerStatus } from '../../domain/status.js';
import { toIso, type Clock } from '../../domain/time.js';
import type { Change, WorkerStore } from '../store.js';
import type { Db } from './db.js';
import { Conditions } from './where.js';

interface WorkerRow {
  id: string;
  created: number;
  updated: number;
  work_pool_id: string;
  name: string;
  last_heartbeat_time: number | null;
  heartbeat_interval_seconds: number | null;
}

function workerFromRow(row: WorkerRow, now: number): Worker {
  return {
    id: row.id,
    created: toIso(row.created),
    updated: toIso(row.updated),
    name: row.name,
    work_pool_id: row.work_pool_id,
    last_heartbeat_time: toIso(row.last_heartbeat_time),
    heartbeat_interval_seconds: row.heartbeat_interval_seconds,
    status: workerStatus(now, row.last_heartbeat_time, row.heartbeat_interval_seconds),
  };
}

/** SQL for "this worker is online" (heartbeat within 3× its interval), with `:now` bound. */
const ONLINE_SQL = 'w.last_heartbeat_time > :now - coalesce(w.heartbeat_interval_seconds, 30) * 3000';

export class SqliteWorkers implements WorkerStore {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly emit: (c: Change) => void,
  ) {}

  private poolId(poolName: string): string {
    const pool = this.db.prepare('SELECT id FROM work_pool WHERE name = ?').get(poolName) as { id: string } | undefined;
    if (!pool) throw new NotFoundError(`Work pool "${poolName}" not found.`);
    return pool.id;
  }

  async get(poolName: string, workerName: string): Promise<Worker> {
    const row = this.db.prepare('SELECT * FROM worker WHERE work_pool_id = ? AND name = ?').get(this.poolId(poolName), workerName) as WorkerRow | undefined;
    if (!row) throw new NotFoundError('Worker not found.');
    return workerFromRow(row, this.clock.now());
  }

  async heartbeat(poolName: string, input: WorkerHeartbeat): Promise<Worker> {
    const now = this.clock.now();
    const poolId = this.poolId(poolName);
    const row = this.db
      .prepare(
        `INSERT INTO worker (id, created, updated, work_pool_id, name, last_heartbeat_time, heartbeat_interval_seconds)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (work_pool_id, name) DO UPDATE SET
           updated = excluded.updated,
           last_heartbeat_time = excluded.last_heartbeat_time,
           heartbeat_interval_seconds = coalesce(excluded.heartbeat_interval_seconds, worker.heartbeat_interval_seconds)
         RETURNING *`,
      )
      .get(uuid7(now), now, now, poolId, input.name, now, input.heartbeat_interval_seconds ?? null) as WorkerRow;
    this.emit({ kind: 'worker', workPoolId: poolId });
    return workerFromRow(row, now);
  }

  async filter(poolName: string, filter: WorkerFilter | undefined, limit: number, offset: number): Promise<Worker[]> {
    const now = this.clock.now();
    const c = new Conditions().add('w.work_pool_id = ?', this.poolId(poolName));
    if (filter) {
      const inner = new Conditions();
      if (filter.last_heartbeat_time?.before_ !== undefined) inner.add('w.last_heartbeat_time <= ?', filter.last_heartbeat_time.before_);
      if (filter.last_heartbeat_time?.after_ !== undefined) inner.add('w.last_heartbeat_time >= ?', filter.last_heartbeat_time.after_);
      const statusSql = (status: string): string => (status === 'ONLINE' ? `(${ONLINE_SQL})` : `NOT (coalesce(${ONLINE_SQL}, 0))`);
      if (filter.status?.any_) inner.add(filter.status.any_.length ? filter.status.any_.map(statusSql).join(' OR ') : '1 = 0');
      if (filter.status?.not_any_?.length) inner.add(`NOT (${filter.status.not_any_.map(statusSql).join(' OR ')})`);
      c.group(inner, filter.operator);
    }
    const rows = this.db
      .prepare(`SELECT w.* FROM worker w ${c.sql()} ORDER BY w.last_heartbeat_time DESC LIMIT ? OFFSET ?`)
      .all({ now }, ...c.params, limit, offset) as WorkerRow[];
    return rows.map((r) => workerFromRow(r, now));
  }

  async delete(poolName: string, workerName: string): Promise<void> {
    const poolId = this.poolId(poolName);
    const result = this.db.prepare('DELETE FROM worker WHERE work_pool_id = ? AND name = ?').run(poolId, workerName);
    if (result.changes === 0) throw new NotFoundError('Worker not found.');
    this.emit({ kind: 'worker', workPoolId: poolId });
  }
}
