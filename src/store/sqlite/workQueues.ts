import { BadRequestError, ConflictError, NotFoundError } from '../../domain/errors.js';
import { uuid7 } from '../../domain/ids.js';
import { compactPriorities, nextFreePriority, resequencePriorities } from '../../domain/queuePriorities.js';
import type { WorkQueueFilter } from '../../domain/schemas/filters.js';
import type { WorkQueue, WorkQueueCreate, WorkQueueStatusDetail, WorkQueueUpdate } from '../../domain/schemas/workPools.js';
import { QUEUE_POLL_READY_SECONDS, queueStatus } from '../../domain/status.js';
import { toIso, type Clock } from '../../domain/time.js';
import type { Change, WorkQueueStore } from '../store.js';
import { HOLDS_INFRASTRUCTURE } from './activeRuns.js';
import type { Db } from './db.js';
import { bit, bool } from './json.js';
import { setClause } from './setClause.js';
import { Conditions } from './where.js';

interface QueueRow {
  id: string;
  created: number;
  updated: number;
  work_pool_id: string;
  work_pool_name: string;
  name: string;
  description: string | null;
  is_paused: number;
  concurrency_limit: number | null;
  priority: number;
  last_polled: number | null;
  active_slots: number;
}

const QUEUE_SELECT = `
  SELECT q.*, p.name AS work_pool_name,
    (SELECT count(*) FROM flow_run r WHERE r.work_queue_id = q.id AND ${HOLDS_INFRASTRUCTURE}) AS active_slots
  FROM work_queue q JOIN work_pool p ON p.id = q.work_pool_id`;

function queueFromRow(row: QueueRow, now: number): WorkQueue {
  return {
    id: row.id,
    created: toIso(row.created),
    updated: toIso(row.updated),
    name: row.name,
    description: row.description,
    is_paused: bool(row.is_paused),
    concurrency_limit: row.concurrency_limit,
    priority: row.priority,
    work_pool_id: row.work_pool_id,
    work_pool_name: row.work_pool_name,
    last_polled: toIso(row.last_polled),
    status: queueStatus(now, bool(row.is_paused), row.last_polled),
    filter: null,
    active_slots: row.active_slots,
  };
}

export class SqliteWorkQueues implements WorkQueueStore {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly emit: (c: Change) => void,
  ) {}

  private poolId(poolName: string): { id: string; default_queue_id: string } {
    const pool = this.db.prepare('SELECT id, default_queue_id FROM work_pool WHERE name = ?').get(poolName) as
      | { id: string; default_queue_id: string }
      | undefined;
    if (!pool) throw new NotFoundError(`Work pool "${poolName}" not found.`);
    return pool;
  }

  private priorities(poolId: string): { id: string; priority: number }[] {
    return this.db.prepare('SELECT id, priority FROM work_queue WHERE work_pool_id = ?').all(poolId) as {
      id: string;
      priority: number;
    }[];
  }

  /** Writes priority changes; callers run it inside the transaction that computed them. */
  private applyPriorities(changes: Map<string, number>, now: number): void {
    const set = this.db.prepare('UPDATE work_queue SET priority = ?, updated = ? WHERE id = ?');
    for (const [id, priority] of changes) set.run(priority, now, id);
  }

  async create(poolName: string, input: WorkQueueCreate): Promise<WorkQueue> {
    const now = this.clock.now();
    const id = uuid7(now);
    let poolId = '';
    this.db
      .transaction(() => {
        poolId = this.poolId(poolName).id;
        if (this.db.prepare('SELECT 1 FROM work_queue WHERE work_pool_id = ? AND name = ?').get(poolId, input.name)) {
          throw new ConflictError(`A work queue named '${input.name}' already exists in work pool '${poolName}'.`);
        }
        const existing = this.priorities(poolId);
        const explicit = input.priority ?? null;
        const priority = explicit ?? nextFreePriority(existing.map((q) => q.priority));
        this.db
          .prepare(
            `INSERT INTO work_queue (id, created, updated, work_pool_id, name, description, is_paused, concurrency_limit, priority)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(id, now, now, poolId, input.name, input.description ?? '', bit(input.is_paused), input.concurrency_limit ?? null, priority);
        const changes = resequencePriorities([...existing, { id, priority }], new Map([[id, priority]]));
        this.applyPriorities(changes, now);
      })
      .immediate();
    this.emit({ kind: 'work_queue', workPoolId: poolId, workQueueId: id });
    return this.getById(id);
  }

  async get(poolName: string, queueName: string): Promise<WorkQueue> {
    const row = this.db.prepare(`${QUEUE_SELECT} WHERE p.name = ? AND q.name = ?`).get(poolName, queueName) as
      | QueueRow
      | undefined;
    if (!row) throw new NotFoundError(`Work pool queue '${poolName}/${queueName}' not found.`);
    return queueFromRow(row, this.clock.now());
  }

  async getById(id: string): Promise<WorkQueue> {
    const row = this.db.prepare(`${QUEUE_SELECT} WHERE q.id = ?`).get(id) as QueueRow | undefined;
    if (!row) throw new NotFoundError('Work queue not found.');
    return queueFromRow(row, this.clock.now());
  }

  async findByName(name: string): Promise<WorkQueue[]> {
    const rows = this.db.prepare(`${QUEUE_SELECT} WHERE q.name = ? ORDER BY p.name`).all(name) as QueueRow[];
    const now = this.clock.now();
    return rows.map((r) => queueFromRow(r, now));
  }

  async filter(
    poolName: string | null,
    filter: WorkQueueFilter | undefined,
    limit: number,
    offset: number,
  ): Promise<WorkQueue[]> {
    const c = new Conditions();
    if (poolName !== null) c.add('q.work_pool_id = ?', this.poolId(poolName).id);
    if (filter) {
      const inner = new Conditions();
      inner.in('q.id', filter.id?.any_);
      inner.in('q.name', filter.name?.any_);
      if (filter.name?.startswith_) {
        const starts = new Conditions();
        for (const prefix of filter.name.startswith_) starts.add("q.name LIKE ? ESCAPE '\\'", `${prefix.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
        inner.group(starts, 'or_');
      }
      c.group(inner, filter.operator);
    }
    const order = poolName !== null ? 'q.priority' : 'q.name, p.name';
    const rows = this.db
      .prepare(`${QUEUE_SELECT} ${c.sql()} ORDER BY ${order} LIMIT ? OFFSET ?`)
      .all(...c.params, limit, offset) as QueueRow[];
    const now = this.clock.now();
    return rows.map((r) => queueFromRow(r, now));
  }

  async update(poolName: string, queueName: string, patch: WorkQueueUpdate): Promise<void> {
    const now = this.clock.now();
    let ids = { pool: '', queue: '' };
    this.db
      .transaction(() => {
        const queue = this.db
          .prepare('SELECT q.id, q.work_pool_id FROM work_queue q JOIN work_pool p ON p.id = q.work_pool_id WHERE p.name = ? AND q.name = ?')
          .get(poolName, queueName) as { id: string; work_pool_id: string } | undefined;
        if (!queue) throw new NotFoundError(`Work pool queue '${poolName}/${queueName}' not found.`);
        ids = { pool: queue.work_pool_id, queue: queue.id };
        if (patch.name !== undefined && patch.name !== queueName) {
          const clash = this.db
            .prepare('SELECT 1 FROM work_queue WHERE work_pool_id = ? AND name = ?')
            .get(queue.work_pool_id, patch.name);
          if (clash) throw new ConflictError(`A work queue named '${patch.name}' already exists in work pool '${poolName}'.`);
        }
        let lastPolled: number | null | undefined;
        if (patch.last_polled !== undefined) {
          lastPolled = patch.last_polled === null ? null : Date.parse(patch.last_polled);
          if (Number.isNaN(lastPolled)) throw new BadRequestError('last_polled must be an ISO-8601 date-time.');
        }
        const { sql, params } = setClause({
          name: patch.name,
          description: patch.description,
          is_paused: patch.is_paused === undefined ? undefined : bit(patch.is_paused),
          concurrency_limit: patch.concurrency_limit,
          last_polled: lastPolled,
        });
        if (sql !== '') this.db.prepare(`UPDATE work_queue SET ${sql}, updated = ? WHERE id = ?`).run(...params, now, queue.id);
        if (patch.priority !== undefined) {
          const changes = resequencePriorities(this.priorities(queue.work_pool_id), new Map([[queue.id, patch.priority]]));
          this.applyPriorities(changes, now);
        }
      })
      .immediate();
    this.emit({ kind: 'work_queue', workPoolId: ids.pool, workQueueId: ids.queue });
  }

  async delete(poolName: string, queueName: string): Promise<void> {
    let ids = { pool: '', queue: '' };
    this.db
      .transaction(() => {
        const pool = this.poolId(poolName);
        const queue = this.db.prepare('SELECT id FROM work_queue WHERE work_pool_id = ? AND name = ?').get(pool.id, queueName) as
          | { id: string }
          | undefined;
        if (!queue) throw new NotFoundError(`Work pool queue '${poolName}/${queueName}' not found.`);
        if (queue.id === pool.default_queue_id) throw new BadRequestError("Can't delete a pool's default queue.");
        ids = { pool: pool.id, queue: queue.id };
        this.db.prepare('DELETE FROM work_queue WHERE id = ?').run(queue.id);
        this.applyPriorities(compactPriorities(this.priorities(pool.id)), this.clock.now());
      })
      .immediate();
    this.emit({ kind: 'work_queue', workPoolId: ids.pool, workQueueId: ids.queue });
  }

  async statusDetail(id: string): Promise<WorkQueueStatusDetail> {
    const queue = await this.getById(id);
    const late = this.db
      .prepare("SELECT count(*) AS n FROM flow_run WHERE work_queue_id = ? AND state_type = 'SCHEDULED' AND state_name = 'Late'")
      .get(id) as { n: number };
    const polledRecently = queue.last_polled !== null && Date.parse(queue.last_polled) > this.clock.now() - QUEUE_POLL_READY_SECONDS * 1000;
    return {
      healthy: late.n <= 0 && polledRecently,
      late_runs_count: late.n,
      last_polled: queue.last_polled,
      health_check_policy: { maximum_late_runs: 0, maximum_seconds_since_last_polled: QUEUE_POLL_READY_SECONDS },
    };
  }

  async markPolled(poolName: string, queueNames: readonly string[]): Promise<void> {
    const pool = this.poolId(poolName);
    const now = this.clock.now();
    const c = new Conditions().add('work_pool_id = ?', pool.id).in('name', queueNames.length > 0 ? queueNames : undefined);
    this.db.prepare(`UPDATE work_queue SET last_polled = ? ${c.sql()}`).run(now, ...c.params);
  }
}
