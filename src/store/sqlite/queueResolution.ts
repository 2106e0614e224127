import { NotFoundError } from '../../domain/errors.js';
import { uuid7 } from '../../domain/ids.js';
import { nextFreePriority } from '../../domain/queuePriorities.js';
import type { Db } from './db.js';
import { fromJson } from './json.js';

export interface ResolvedQueue {
  id: string;
  name: string;
  poolId: string;
  template: Record<string, unknown>;
}

/**
 * The queue a deployment or run goes to: the named queue of the pool, or the pool's default
 * queue when no queue is named. With `create`, a missing named queue is created (as Prefect does
 * for deployments); without it, a missing queue is a 404.
 */
export function resolveWorkQueue(db: Db, now: number, poolName: string, queueName: string | null | undefined, create: boolean): ResolvedQueue {
  const pool = db.prepare('SELECT id, default_queue_id, base_job_template FROM work_pool WHERE name = ?').get(poolName) as
    | { id: string; default_queue_id: string; base_job_template: string }
    | undefined;
  if (!pool) throw new NotFoundError(`Work pool "${poolName}" not found.`);
  const template = fromJson<Record<string, unknown>>(pool.base_job_template, {});
  if (!queueName) {
    const q = db.prepare('SELECT id, name FROM work_queue WHERE id = ?').get(pool.default_queue_id) as { id: string; name: string };
    return { id: q.id, name: q.name, poolId: pool.id, template };
  }
  const existing = db.prepare('SELECT id FROM work_queue WHERE work_pool_id = ? AND name = ?').get(pool.id, queueName) as { id: string } | undefined;
  if (existing) return { id: existing.id, name: queueName, poolId: pool.id, template };
  if (!create) throw new NotFoundError(`Work pool queue '${poolName}/${queueName}' not found.`);
  const priorities = (db.prepare('SELECT priority FROM work_queue WHERE work_pool_id = ?').all(pool.id) as { priority: number }[]).map((r) => r.priority);
  const id = uuid7(now);
  db.prepare("INSERT INTO work_queue (id, created, updated, work_pool_id, name, description, priority) VALUES (?, ?, ?, ?, ?, '', ?)").run(
    id,
    now,
    now,
    pool.id,
    queueName,
    nextFreePriority(priorities),
  );
  return { id, name: queueName, poolId: pool.id, template };
}
