/**
 * Queue priorities within a pool are unique positive integers, 1 = highest. Moving or inserting a
 * queue at a priority pushes the queues at and below it down with the fewest changes (Prefect's
 * `bulk_update_work_queue_priorities`).
 */
export interface QueuePriority {
  id: string;
  priority: number;
}

/** Returns the queues whose priority changes, with their new priority. */
export function resequencePriorities(
  queues: readonly QueuePriority[],
  target: ReadonlyMap<string, number>,
): Map<string, number> {
  const others = queues.filter((q) => !target.has(q.id)).map((q) => ({ ...q })).sort((a, b) => a.priority - b.priority);
  const moved = queues
    .filter((q) => target.has(q.id))
    .map((q) => ({ id: q.id, priority: target.get(q.id) ?? q.priority }))
    .sort((a, b) => a.priority - b.priority);
  const ordered = [...others];
  for (const q of moved) {
    const at = ordered.findIndex((o) => o.priority >= q.priority);
    if (at === -1) ordered.push(q);
    else ordered.splice(at, 0, q);
  }
  let last = 0;
  for (const q of ordered) {
    if (q.priority <= last) q.priority = ++last;
    else last = q.priority;
  }
  const before = new Map(queues.map((q) => [q.id, q.priority]));
  const changes = new Map<string, number>();
  for (const q of ordered) if (before.get(q.id) !== q.priority) changes.set(q.id, q.priority);
  return changes;
}

/** The priority of a queue created without one: the first gap in 1..n, else max + 1. */
export function nextFreePriority(priorities: readonly number[]): number {
  const taken = new Set(priorities);
  for (let p = 1; p <= priorities.length; p++) if (!taken.has(p)) return p;
  return priorities.length + 1;
}

/** After a deletion: renumber 1..n keeping the order. */
export function compactPriorities(queues: readonly QueuePriority[]): Map<string, number> {
  const changes = new Map<string, number>();
  [...queues]
    .sort((a, b) => a.priority - b.priority)
    .forEach((q, i) => {
      if (q.priority !== i + 1) changes.set(q.id, i + 1);
    });
  return changes;
}
