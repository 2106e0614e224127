import { nextFireTime } from '../../domain/schedules/nextFireTimes.js';
import type { ScheduleInput } from '../../domain/schedules/schema.js';
import type { Deployment } from '../../domain/schemas/deployments.js';
import { QUEUE_POLL_READY_SECONDS } from '../../domain/status.js';
import { toIso } from '../../domain/time.js';
import { bool, fromJson } from './json.js';

export interface DeploymentRow {
  id: string;
  created: number;
  updated: number;
  flow_id: string;
  flow_name: string;
  name: string;
  version: string | null;
  description: string | null;
  paused: number;
  tags: string;
  labels: string;
  parameters: string;
  parameter_openapi_schema: string | null;
  enforce_parameter_schema: number;
  job_variables: string;
  pull_steps: string | null;
  entrypoint: string | null;
  path: string | null;
  work_queue_id: string | null;
  work_queue_name: string | null;
  work_pool_name: string | null;
  concurrency_limit: number | null;
  concurrency_options: string | null;
  last_polled: number | null;
  version_info: string | null;
  created_by: string | null;
  updated_by: string | null;
  held_slots: number;
}

export interface ScheduleRow {
  id: string;
  created: number;
  updated: number;
  deployment_id: string;
  schedule: string;
  active: number;
  max_scheduled_runs: number | null;
  parameters: string;
  slug: string | null;
  catchup: 'all' | 'latest' | 'none';
  max_active_runs: number | null;
  next_fire_time: number | null;
  refill_at: number | null;
  last_error: string | null;
  /** The slot of the schedule's next run (from SCHEDULE_SELECT). */
  next_run_slot?: number | null;
}

/** Schedule rows `s` with the slot of each one's next run; the first parameter is "now". */
export const SCHEDULE_SELECT = `SELECT s.*,
    (SELECT min(r.schedule_slot) FROM flow_run r WHERE r.schedule_id = s.id AND r.schedule_slot >= ?) AS next_run_slot
  FROM deployment_schedule s`;

/**
 * When the schedule fires next: its next run, or the scheduler's cursor when no run is made yet
 * (a slot beyond the scheduling horizon); computed only for a schedule not planned yet.
 */
function nextFireOf(row: ScheduleRow, now: number, deploymentPaused: boolean): number | null {
  if (deploymentPaused || row.active === 0) return null;
  let next = row.next_run_slot ?? null;
  if (row.next_fire_time !== null && row.next_fire_time >= now) next = Math.min(next ?? Infinity, row.next_fire_time);
  if (next === null && row.next_fire_time === null && row.refill_at !== null) {
    try {
      next = nextFireTime(fromJson<ScheduleInput>(row.schedule, { interval: 1 }), now - 1);
    } catch {
      next = null;
    }
  }
  return next;
}

export const DEPLOYMENT_SELECT = `
  SELECT d.*, f.name AS flow_name, p.name AS work_pool_name,
    (SELECT count(*) FROM flow_run r WHERE r.deployment_id = d.id AND r.holds_slot = 1) AS held_slots
  FROM deployment d
  JOIN flow f ON f.id = d.flow_id
  LEFT JOIN work_queue q ON q.id = d.work_queue_id
  LEFT JOIN work_pool p ON p.id = q.work_pool_id`;

export function scheduleFromRow(row: ScheduleRow, now: number, deploymentPaused: boolean): Deployment['schedules'][number] {
  return {
    id: row.id,
    created: toIso(row.created),
    updated: toIso(row.updated),
    deployment_id: row.deployment_id,
    schedule: fromJson(row.schedule, {}),
    active: bool(row.active),
    max_scheduled_runs: row.max_scheduled_runs,
    parameters: fromJson(row.parameters, {}),
    slug: row.slug,
    catchup: row.catchup,
    max_active_runs: row.max_active_runs,
    next_fire_time: toIso(nextFireOf(row, now, deploymentPaused)),
    last_error: row.last_error,
  } as Deployment['schedules'][number];
}

export function deploymentFromRow(row: DeploymentRow, schedules: ScheduleRow[], now: number): Deployment {
  const options = fromJson<{ collision_strategy?: 'ENQUEUE' | 'CANCEL_NEW'; grace_period_seconds?: number | null } | null>(
    row.concurrency_options,
    null,
  );
  return {
    id: row.id,
    created: toIso(row.created),
    updated: toIso(row.updated),
    name: row.name,
    version: row.version,
    description: row.description,
    flow_id: row.flow_id,
    paused: bool(row.paused),
    schedules: schedules.map((s) => scheduleFromRow(s, now, bool(row.paused))),
    tags: fromJson(row.tags, []),
    labels: fromJson(row.labels, {}),
    concurrency_limit: row.concurrency_limit,
    global_concurrency_limit:
      row.concurrency_limit === null
        ? null
        : {
            id: row.id,
            name: `deployment:${row.id}`,
            limit: row.concurrency_limit,
            active: true,
            active_slots: row.held_slots,
            slot_decay_per_second: 0,
          },
    concurrency_options: row.concurrency_limit === null ? null : { collision_strategy: options?.collision_strategy ?? 'ENQUEUE', grace_period_seconds: options?.grace_period_seconds ?? null },
    job_variables: fromJson(row.job_variables, {}),
    parameters: fromJson(row.parameters, {}),
    parameter_openapi_schema: fromJson(row.parameter_openapi_schema, null),
    enforce_parameter_schema: bool(row.enforce_parameter_schema),
    path: row.path,
    pull_steps: fromJson(row.pull_steps, null),
    entrypoint: row.entrypoint,
    storage_document_id: null,
    infrastructure_document_id: null,
    work_queue_name: row.work_queue_name,
    work_queue_id: row.work_queue_id,
    work_pool_name: row.work_pool_name,
    last_polled: toIso(row.last_polled),
    status: row.last_polled !== null && row.last_polled > now - QUEUE_POLL_READY_SECONDS * 1000 ? 'READY' : 'NOT_READY',
    created_by: fromJson(row.created_by, null),
    updated_by: fromJson(row.updated_by, null),
    version_info: fromJson(row.version_info, null),
    flow_name: row.flow_name,
  };
}
