import type {
  CrossFilters,
  DeploymentFilter,
  FlowFilter,
  FlowRunFilter,
  WorkPoolFilter,
  WorkQueueFilter,
} from '../../../domain/schemas/filters.js';
import { Conditions, likePattern } from '../where.js';

/**
 * SQL for Prefect's filter objects. Each builder returns the conditions of one filter on one
 * table alias; `crossConditions` narrows any list by the filters of its related objects through
 * `IN (SELECT …)` sub-queries, each served by an index.
 */

function tagConditions(c: Conditions, column: string, tags: { all_?: string[] | undefined; any_?: string[] | undefined; is_null_?: boolean | undefined } | undefined): void {
  if (!tags) return;
  for (const tag of tags.all_ ?? []) c.add(`EXISTS (SELECT 1 FROM json_each(${column}) WHERE value = ?)`, tag);
  if (tags.any_) {
    if (tags.any_.length === 0) c.add('1 = 0');
    else c.add(`EXISTS (SELECT 1 FROM json_each(${column}) WHERE value IN (${tags.any_.map(() => '?').join(', ')}))`, ...tags.any_);
  }
  if (tags.is_null_ !== undefined) c.add(tags.is_null_ ? `json_array_length(${column}) = 0` : `json_array_length(${column}) > 0`);
}

function timeConditions(
  c: Conditions,
  column: string,
  range: { before_?: number | undefined; after_?: number | undefined; is_null_?: boolean | undefined } | undefined,
): void {
  if (!range) return;
  if (range.before_ !== undefined) c.add(`${column} <= ?`, range.before_);
  if (range.after_ !== undefined) c.add(`${column} >= ?`, range.after_);
  if (range.is_null_ !== undefined) c.add(range.is_null_ ? `${column} IS NULL` : `${column} IS NOT NULL`);
}

export function flowConditions(f: FlowFilter, a = 'f'): Conditions {
  const c = new Conditions();
  c.in(`${a}.id`, f.id?.any_).in(`${a}.id`, f.id?.not_any_, true).in(`${a}.name`, f.name?.any_);
  if (f.name?.like_ !== undefined) c.add(`${a}.name LIKE ? ESCAPE '\\'`, likePattern(f.name.like_));
  if (f.deployment?.is_null_ !== undefined) {
    c.add(`${f.deployment.is_null_ ? 'NOT ' : ''}EXISTS (SELECT 1 FROM deployment dx WHERE dx.flow_id = ${a}.id)`);
  }
  tagConditions(c, `${a}.tags`, f.tags);
  return new Conditions().group(c, f.operator);
}

export function flowRunConditions(f: FlowRunFilter, a = 'r'): Conditions {
  const c = new Conditions();
  c.in(`${a}.id`, f.id?.any_).in(`${a}.id`, f.id?.not_any_, true).in(`${a}.name`, f.name?.any_);
  if (f.name?.like_ !== undefined) c.add(`${a}.name LIKE ? ESCAPE '\\'`, likePattern(f.name.like_));
  tagConditions(c, `${a}.tags`, f.tags);
  c.in(`${a}.deployment_id`, f.deployment_id?.any_);
  if (f.deployment_id?.is_null_ !== undefined) c.add(`${a}.deployment_id IS ${f.deployment_id.is_null_ ? '' : 'NOT '}NULL`);
  c.in(`${a}.work_queue_name`, f.work_queue_name?.any_);
  if (f.work_queue_name?.is_null_ !== undefined) c.add(`${a}.work_queue_name IS ${f.work_queue_name.is_null_ ? '' : 'NOT '}NULL`);
  if (f.state) {
    const s = new Conditions();
    s.in(`${a}.state_type`, f.state.type?.any_).in(`${a}.state_type`, f.state.type?.not_any_, true);
    s.in(`${a}.state_name`, f.state.name?.any_).in(`${a}.state_name`, f.state.name?.not_any_, true);
    c.group(s, f.state.operator);
  }
  c.in(`${a}.flow_version`, f.flow_version?.any_);
  timeConditions(c, `${a}.start_time`, f.start_time);
  timeConditions(c, `${a}.end_time`, f.end_time);
  timeConditions(c, `${a}.expected_start_time`, f.expected_start_time);
  timeConditions(c, `${a}.next_scheduled_start_time`, f.next_scheduled_start_time);
  c.in(`${a}.parent_task_run_id`, f.parent_task_run_id?.any_);
  if (f.parent_task_run_id?.is_null_ !== undefined) c.add(`${a}.parent_task_run_id IS ${f.parent_task_run_id.is_null_ ? '' : 'NOT '}NULL`);
  // baton has no task runs: a parent flow run filter matches nothing rather than everything.
  if (f.parent_flow_run_id?.any_) c.add('1 = 0');
  c.in(`${a}.idempotency_key`, f.idempotency_key?.any_).in(`${a}.idempotency_key`, f.idempotency_key?.not_any_, true);
  if (f.created_by) {
    c.in(`json_extract(${a}.created_by, '$.id')`, f.created_by.id_);
    c.in(`json_extract(${a}.created_by, '$.type')`, f.created_by.type_);
    if (f.created_by.is_null_ !== undefined) c.add(`${a}.created_by IS ${f.created_by.is_null_ ? '' : 'NOT '}NULL`);
  }
  return new Conditions().group(c, f.operator);
}

export function deploymentConditions(f: DeploymentFilter, a = 'd'): Conditions {
  const c = new Conditions();
  c.in(`${a}.id`, f.id?.any_).in(`${a}.id`, f.id?.not_any_, true).in(`${a}.name`, f.name?.any_);
  if (f.name?.like_ !== undefined) c.add(`${a}.name LIKE ? ESCAPE '\\'`, likePattern(f.name.like_));
  if (f.flow_or_deployment_name?.like_ !== undefined) {
    const p = likePattern(f.flow_or_deployment_name.like_);
    c.add(`(${a}.name LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM flow fx WHERE fx.id = ${a}.flow_id AND fx.name LIKE ? ESCAPE '\\'))`, p, p);
  }
  if (f.paused?.eq_ !== undefined) c.add(`${a}.paused = ?`, f.paused.eq_ ? 1 : 0);
  tagConditions(c, `${a}.tags`, f.tags);
  c.in(`${a}.work_queue_name`, f.work_queue_name?.any_);
  if (f.concurrency_limit) {
    if (f.concurrency_limit.ge_ !== undefined) c.add(`${a}.concurrency_limit >= ?`, f.concurrency_limit.ge_);
    if (f.concurrency_limit.le_ !== undefined) c.add(`${a}.concurrency_limit <= ?`, f.concurrency_limit.le_);
    if (f.concurrency_limit.is_null_ !== undefined) c.add(`${a}.concurrency_limit IS ${f.concurrency_limit.is_null_ ? '' : 'NOT '}NULL`);
  }
  return new Conditions().group(c, f.operator);
}

export function workPoolConditions(f: WorkPoolFilter, a = 'p'): Conditions {
  const c = new Conditions();
  c.in(`${a}.id`, f.id?.any_).in(`${a}.name`, f.name?.any_).in(`${a}.type`, f.type?.any_);
  return new Conditions().group(c, f.operator);
}

export function workQueueConditions(f: WorkQueueFilter, a = 'q'): Conditions {
  const c = new Conditions();
  c.in(`${a}.id`, f.id?.any_).in(`${a}.name`, f.name?.any_);
  if (f.name?.startswith_) {
    const s = new Conditions();
    for (const prefix of f.name.startswith_) s.add(`${a}.name LIKE ? ESCAPE '\\'`, `${prefix.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
    c.group(s, 'or_');
  }
  return new Conditions().group(c, f.operator);
}

/** Where the list's own table links to each related object. */
export interface CrossLinks {
  flowId?: string;
  flowRunIds?: (sub: string) => string;
  deploymentId?: string;
  workQueueId?: string;
}

/** Narrows a list by the filters of related objects, skipping the list's own kind. */
export function crossConditions(filters: CrossFilters, own: keyof CrossFilters, links: CrossLinks): Conditions {
  const c = new Conditions();
  const sub = (select: string, conds: Conditions): void => {
    const where = conds.sql();
    if (where !== '') c.add(`${select} ${where})`, ...conds.params);
  };
  if (own !== 'flows' && filters.flows && links.flowId) {
    sub(`${links.flowId} IN (SELECT f.id FROM flow f`, flowConditions(filters.flows));
  }
  if (own !== 'deployments' && filters.deployments && links.deploymentId) {
    sub(`${links.deploymentId} IN (SELECT d.id FROM deployment d`, deploymentConditions(filters.deployments));
  }
  if (own !== 'flow_runs' && filters.flow_runs && links.flowRunIds) {
    const conds = flowRunConditions(filters.flow_runs);
    const where = conds.sql();
    if (where !== '') c.add(`${links.flowRunIds(where)}`, ...conds.params);
  }
  if (filters.work_pools && links.workQueueId) {
    sub(`${links.workQueueId} IN (SELECT q.id FROM work_queue q JOIN work_pool p ON p.id = q.work_pool_id`, workPoolConditions(filters.work_pools));
  }
  if (filters.work_pool_queues && links.workQueueId) {
    sub(`${links.workQueueId} IN (SELECT q.id FROM work_queue q`, workQueueConditions(filters.work_pool_queues));
  }
  return c;
}
