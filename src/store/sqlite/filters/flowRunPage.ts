import type { CrossFilters, FlowRunSort } from '../../../domain/schemas/filters.js';
import { Conditions } from '../where.js';
import { crossConditions, flowRunConditions } from './crossFilters.js';

/**
 * Prefect's flow run sorts. Each has an index (0001_init.sql) that returns rows in this order,
 * alone and after the common filters (deployment, state type, state name), so a page never sorts
 * the whole match set.
 */
const SORTS: Record<FlowRunSort, string> = {
  ID_DESC: 'r.id DESC',
  START_TIME_ASC: 'coalesce(r.start_time, r.expected_start_time) ASC, r.id ASC',
  START_TIME_DESC: 'coalesce(r.start_time, r.expected_start_time) DESC, r.id DESC',
  EXPECTED_START_TIME_ASC: 'r.expected_start_time ASC, r.id ASC',
  EXPECTED_START_TIME_DESC: 'r.expected_start_time DESC, r.id DESC',
  NAME_ASC: 'r.name ASC, r.id ASC',
  NAME_DESC: 'r.name DESC, r.id DESC',
  NEXT_SCHEDULED_START_TIME_ASC: 'r.next_scheduled_start_time IS NULL, r.next_scheduled_start_time ASC, r.id ASC',
  END_TIME_DESC: 'r.end_time IS NULL, r.end_time DESC, r.id DESC',
};

/** The WHERE clause of a flow run filter body (its own filters and those on related objects). */
export function flowRunWhere(filters: CrossFilters): Conditions {
  const c = new Conditions();
  if (filters.flow_runs) c.group(flowRunConditions(filters.flow_runs));
  c.group(crossConditions(filters, 'flow_runs', { flowId: 'r.flow_id', deploymentId: 'r.deployment_id', workQueueId: 'r.work_queue_id' }));
  return c;
}

/**
 * One page of run ids, taking `LIMIT ? OFFSET ?` after `params`. Paging on flow_run alone lets
 * the planner walk the sort's index; the caller joins names and states for just that page.
 */
export function flowRunPageQuery(filters: CrossFilters, sort: FlowRunSort): { sql: string; params: Conditions['params'] } {
  const c = flowRunWhere(filters);
  return { sql: `SELECT r.id FROM flow_run r ${c.sql()} ORDER BY ${SORTS[sort]} LIMIT ? OFFSET ?`, params: c.params };
}
