import { ConflictError, NotFoundError } from '../../domain/errors.js';
import { uuid7 } from '../../domain/ids.js';
import type { WorkPoolFilter } from '../../domain/schemas/filters.js';
import type { WorkPool, WorkPoolCreate, WorkPoolUpdate } from '../../domain/schemas/workPools.js';
import { poolStatus, workerOnlineSince } from '../../domain/status.js';
import { toIso, type Clock } from '../../domain/time.js';
import type { Change, WorkPoolStore } from '../store.js';
import { HOLDS_INFRASTRUCTURE } from './activeRuns.js';
import type { Db } from './db.js';
import { bit, bool, fromJson, toJson } from './json.js';
import { setClause } from './setClause.js';
import { Conditions } from './where.js';

interface PoolRow {
  id: string;
  created: number;
  updated: number;
  name: string;
  description: string | null;
  type: string;
  base_job_template: string;
  is_paused: number;
  concurrency_limit: number | null;
  default_queue_id: string;
  storage_configuration: string;
  online_workers: number;
  active_slots: number;
}

/** Pool columns plus the two derived counts every response needs. */
export const POOL_SELECT = `
  SELECT p.*,
    (SELECT count(*) FROM worker w WHERE w.work_pool_id = p.id AND w.last_heartbeat_time >
       :now - coalesce(w.heartbeat_interval_seconds, 30) * 3000) AS online_workers,
    (SELECT count(*) FROM flow_run r JOIN work_queue q ON q.id = r.work_queue_id
       WHERE q.work_pool_id = p.id AND ${HOLDS_INFRASTRUCTURE}) AS active_slots
  FROM work_pool p`;

export const DEFAULT_QUEUE_DESCRIPTION = "The work pool's default queue.";

export function poolFromRow(row: PoolRow): WorkPool {
  return {
    id: row.id,
    created: toIso(row.created),
    updated: toIso(row.updated),
    name: row.name,
    description: row.description,
    type: row.type,
    base_job_template: fromJson(row.base_job_template, {}),
    is_paused: bool(row.is_paused),
    concurrency_limit: row.concurrency_limit,
    status: poolStatus(bool(row.is_paused), row.online_workers),
    default_queue_id: row.default_queue_id,
    storage_configuration: fromJson(row.storage_configuration, {}),
    active_slots: row.concurrency_limit === null ? null : row.active_slots,
  };
}

export class SqliteWorkPools implements WorkPoolStore {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly emit: (c: Change) => void,
  ) {}

  async create(input: WorkPoolCreate): Promise<WorkPool> {
    const now = this.clock.now();
    const id = uuid7(now);
    const queueId = uuid7(now);
    this.db
      .transaction(() => {
        const exists = this.db.prepare('SELECT 1 FROM work_pool WHERE name = ?').get(input.name);
        if (exists) throw new ConflictError('A work pool with this name already exists.');
        this.db
          .prepare(
            `INSERT INTO work_pool (id, created, updated, name, description, type, base_job_template, is_paused,
               concurrency_limit, default_queue_id, storage_configuration)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            id,
            now,
            now,
            input.name,
            input.description ?? null,
            input.type,
            toJson(input.base_job_template),
            bit(input.is_paused),
            input.concurrency_limit ?? null,
            queueId,
            toJson(input.storage_configuration ?? {}),
          );
        this.db
          .prepare(
            `INSERT INTO work_queue (id, created, updated, work_pool_id, name, description, priority)
             VALUES (?, ?, ?, ?, 'default', ?, 1)`,
          )
          .run(queueId, now, now, id, DEFAULT_QUEUE_DESCRIPTION);
      })
      .immediate();
    this.emit({ kind: 'work_pool', workPoolId: id });
    return this.getById(id);
  }

  async get(name: string): Promise<WorkPool> {
    const row = this.db.prepare(`${POOL_SELECT} WHERE p.name = :name`).get({ now: this.clock.now(), name }) as
      | PoolRow
      | undefined;
    if (!row) throw new NotFoundError(`Work pool "${name}" not found.`);
    return poolFromRow(row);
  }

  async getById(id: string): Promise<WorkPool> {
    const row = this.db.prepare(`${POOL_SELECT} WHERE p.id = :id`).get({ now: this.clock.now(), id }) as
      | PoolRow
      | undefined;
    if (!row) throw new NotFoundError(`Work pool with id "${id}" not found.`);
    return poolFromRow(row);
  }

  private where(filter: WorkPoolFilter | undefined): Conditions {
    const c = new Conditions();
    if (!filter) return c;
    const inner = new Conditions();
    inner.in('p.id', filter.id?.any_);
    inner.in('p.name', filter.name?.any_);
    inner.in('p.type', filter.type?.any_);
    return c.group(inner, filter.operator);
  }

  async filter(filter: WorkPoolFilter | undefined, limit: number, offset: number): Promise<WorkPool[]> {
    const w = this.where(filter);
    const rows = this.db
      .prepare(`${POOL_SELECT} ${w.sql()} ORDER BY p.name LIMIT ? OFFSET ?`)
      .all({ now: this.clock.now() }, ...w.params, limit, offset) as PoolRow[];
    return rows.map(poolFromRow);
  }

  async count(filter: WorkPoolFilter | undefined): Promise<number> {
    const w = this.where(filter);
    const row = this.db.prepare(`SELECT count(*) AS n FROM work_pool p ${w.sql()}`).get(...w.params) as { n: number };
    return row.n;
  }

  async update(name: string, patch: WorkPoolUpdate): Promise<void> {
    const pool = await this.get(name);
    const { sql, params } = setClause({
      description: patch.description,
      is_paused: patch.is_paused === undefined ? undefined : bit(patch.is_paused),
      base_job_template: patch.base_job_template === undefined ? undefined : toJson(patch.base_job_template),
      concurrency_limit: patch.concurrency_limit,
      storage_configuration: patch.storage_configuration === undefined ? undefined : toJson(patch.storage_configuration),
    });
    if (sql === '') return;
    this.db.prepare(`UPDATE work_pool SET ${sql}, updated = ? WHERE id = ?`).run(...params, this.clock.now(), pool.id);
    this.emit({ kind: 'work_pool', workPoolId: pool.id });
  }

  async delete(name: string): Promise<void> {
    const pool = await this.get(name);
    this.db
      .transaction(() => {
        // The default queue is protected from direct deletion; with the pool it goes too.
        this.db.prepare('DELETE FROM work_pool WHERE id = ?').run(pool.id);
      })
      .immediate();
    this.emit({ kind: 'work_pool', workPoolId: pool.id });
  }
}
