import { uuid7 } from '../../domain/ids.js';
import { normalizeProposal } from '../../domain/orchestration/flowPolicy.js';
import type { StateCreate } from '../../domain/schemas/states.js';
import { generateSlug } from '../../domain/slugs.js';
import { toIso } from '../../domain/time.js';
import type { Db } from './db.js';
import { fromJson, toJson } from './json.js';
import { insertRun, type TransitionOutcome } from './transition.js';

/** A schedule row joined with the deployment fields its runs copy. */
export interface ScheduleWithDeployment {
  id: string;
  updated: number;
  deployment_id: string;
  schedule: string;
  active: number;
  parameters: string;
  slug: string | null;
  next_fire_time: number | null;
  refill_at: number | null;
  catchup: 'all' | 'latest' | 'none';
  max_scheduled_runs: number | null;
  d_paused: number;
  d_updated: number;
  d_flow_id: string;
  d_version: string | null;
  d_tags: string;
  d_parameters: string;
  d_work_queue_id: string | null;
  d_work_queue_name: string | null;
  d_parameter_openapi_schema: string | null;
  d_enforce_parameter_schema: number;
}

export const SCHEDULE_WITH_DEPLOYMENT = `
  SELECT s.id, s.updated, s.deployment_id, s.schedule, s.active, s.parameters, s.slug, s.next_fire_time, s.refill_at, s.catchup, s.max_scheduled_runs,
    d.paused AS d_paused, d.updated AS d_updated, d.flow_id AS d_flow_id, d.version AS d_version, d.tags AS d_tags,
    d.parameters AS d_parameters, d.work_queue_id AS d_work_queue_id, d.work_queue_name AS d_work_queue_name,
    d.parameter_openapi_schema AS d_parameter_openapi_schema, d.enforce_parameter_schema AS d_enforce_parameter_schema
  FROM deployment_schedule s JOIN deployment d ON d.id = s.deployment_id`;

/**
 * What tells apart the runs of two schedules of one deployment firing at the same instant: the
 * schedule's slug, which a redeploy keeps (unlike the row's id). Schedules without a slug share
 * the deployment's one run per slot.
 */
export function scheduleKey(slug: string | null): string {
  return slug ?? '';
}

/** Prefect's schedule class names, shown as a run's creator when the schedule has no slug. */
function scheduleKind(schedule: Record<string, unknown>): string {
  if ('cron' in schedule) return 'CronSchedule';
  if ('rrule' in schedule) return 'RRuleSchedule';
  return 'IntervalSchedule';
}

/** The fields every run of a schedule gets, derived from its (current) rows. */
export function runTemplate(row: ScheduleWithDeployment) {
  const own = fromJson<Record<string, unknown>>(row.parameters, {});
  return {
    parameters: { ...fromJson<Record<string, unknown>>(row.d_parameters, {}), ...own },
    tags: [...new Set(['auto-scheduled', ...fromJson<string[]>(row.d_tags, [])])],
    key: scheduleKey(row.slug),
    createdBy: { id: row.id, type: 'SCHEDULE', display_value: row.slug ?? scheduleKind(fromJson(row.schedule, {})) },
  };
}

/**
 * Creates the auto-scheduled run of one slot inside the caller's transaction, unless the slot
 * already has its run (the unique index on deployment, slot and schedule key). Returns the first
 * state's transition, or null when the slot was taken. The columns mirror flowRuns.create.
 */
export function insertScheduledRun(db: Db, now: number, row: ScheduleWithDeployment, template: ReturnType<typeof runTemplate>, slot: number): TransitionOutcome | null {
  // Taken too: a slot this schedule made a run for under another slug, or a schedule that a
  // redeploy replaced did (a run already claimed is not deleted with its schedule).
  const taken = db
    .prepare(
      `SELECT 1 FROM flow_run r WHERE r.deployment_id = ? AND r.schedule_slot = ?
         AND (r.schedule_id = ? OR NOT EXISTS (SELECT 1 FROM deployment_schedule s WHERE s.id = r.schedule_id))`,
    )
    .get(row.deployment_id, slot, row.id);
  if (taken) return null;
  const state = { type: 'SCHEDULED', name: 'Scheduled', message: 'Flow run scheduled', state_details: { scheduled_time: slot } } as StateCreate;
  return insertRun(
    db,
    now,
    {
      id: uuid7(now),
      created: now,
      name: generateSlug(),
      flow_id: row.d_flow_id,
      deployment_id: row.deployment_id,
      deployment_version: row.d_version,
      work_queue_id: row.d_work_queue_id,
      work_queue_name: row.d_work_queue_name,
      parameters: toJson(template.parameters),
      idempotency_key: `scheduled ${row.deployment_id} ${toIso(slot)}${template.key === '' ? '' : ` ${template.key}`}`,
      tags: toJson(template.tags),
      auto_scheduled: 1,
      created_by: toJson(template.createdBy),
      schedule_slot: slot,
      schedule_id: row.id,
      schedule_key: template.key,
    },
    normalizeProposal(state, now),
  );
}
