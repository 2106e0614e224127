import { uuid7 } from '../../domain/ids.js';
import type { LogFilter, LogSort } from '../../domain/schemas/filters.js';
import type { Log, LogCreate } from '../../domain/schemas/logs.js';
import { toIso, type Clock } from '../../domain/time.js';
import type { Change, LogStore } from '../store.js';
import type { Db } from './db.js';
import { Conditions, likePattern } from './where.js';
import type { WriteBatcher } from './writeBatcher.js';

interface LogRow {
  seq: number;
  id: string;
  created: number;
  name: string;
  level: number;
  message: string;
  timestamp: number;
  flow_run_id: string | null;
  task_run_id: string | null;
}

function logFromRow(row: LogRow): Log {
  return {
    id: row.id,
    created: toIso(row.created),
    updated: toIso(row.created),
    name: row.name,
    level: row.level,
    message: row.message,
    timestamp: toIso(row.timestamp),
    flow_run_id: row.flow_run_id,
    task_run_id: row.task_run_id,
  };
}

const NUL = /\u0000/g;

export class SqliteLogs implements LogStore {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly emit: (c: Change) => void,
    private readonly writes: WriteBatcher,
  ) {}

  async create(logs: LogCreate[]): Promise<number> {
    if (logs.length === 0) return 0;
    const now = this.clock.now();
    const insert = this.db.prepare(
      'INSERT INTO log (id, created, name, level, message, timestamp, flow_run_id, task_run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const runIds = [...new Set(logs.map((l) => l.flow_run_id).filter((id): id is string => typeof id === 'string'))];
    let stored = 0;
    const existing = new Set<string>();
    await this.writes.run(() => {
        // One lookup per distinct run, not per line; lines of deleted runs are dropped.
        const exists = this.db.prepare('SELECT 1 FROM flow_run WHERE id = ?').pluck();
        for (const id of runIds) if (exists.get(id)) existing.add(id);
        for (const log of logs) {
          const runId = log.flow_run_id ?? null;
          if (runId !== null && !existing.has(runId)) continue;
          insert.run(uuid7(now), now, log.name, log.level, log.message.replace(NUL, ''), log.timestamp, runId, log.task_run_id ?? null);
          stored++;
        }
    });
    if (existing.size > 0) this.emit({ kind: 'logs', flowRunIds: [...existing] });
    return stored;
  }

  async filter(filter: LogFilter | undefined, sort: LogSort, limit: number, offset: number): Promise<Log[]> {
    const c = new Conditions();
    if (filter) {
      const inner = new Conditions();
      if (filter.level?.ge_ !== undefined) inner.add('level >= ?', filter.level.ge_);
      if (filter.level?.le_ !== undefined) inner.add('level <= ?', filter.level.le_);
      if (filter.timestamp?.before_ !== undefined) inner.add('timestamp <= ?', filter.timestamp.before_);
      if (filter.timestamp?.after_ !== undefined) inner.add('timestamp >= ?', filter.timestamp.after_);
      inner.in('flow_run_id', filter.flow_run_id?.any_);
      inner.in('task_run_id', filter.task_run_id?.any_);
      if (filter.task_run_id?.is_null_ !== undefined) inner.add(`task_run_id IS ${filter.task_run_id.is_null_ ? '' : 'NOT '}NULL`);
      if (filter.text?.query) inner.add("message LIKE ? ESCAPE '\\'", likePattern(filter.text.query));
      c.group(inner, filter.operator);
    }
    const order = sort === 'TIMESTAMP_DESC' ? 'timestamp DESC, seq DESC' : 'timestamp ASC, seq ASC';
    const rows = this.db.prepare(`SELECT * FROM log ${c.sql()} ORDER BY ${order} LIMIT ? OFFSET ?`).all(...c.params, limit, offset) as LogRow[];
    return rows.map(logFromRow);
  }
}
