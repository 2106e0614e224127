import { ConflictError, InvalidError, NotFoundError, type ErrorDetail } from '../../domain/errors.js';
import { uuid7 } from '../../domain/ids.js';
import { validateParameters } from '../../domain/parameters.js';
import type { DeploymentSchedule, DeploymentScheduleCreate, DeploymentScheduleUpdate } from '../../domain/schedules/schema.js';
import type { Clock } from '../../domain/time.js';
import type { Change, DueRunChange, DueRunSweepOptions, DueSchedule, SchedulePlanWrite, ScheduleStore } from '../store.js';
import type { Db } from './db.js';
import { SCHEDULE_SELECT, scheduleFromRow, type ScheduleRow } from './deploymentRows.js';
import { DueRunSweeps } from './dueRuns.js';
import { bit, fromJson, toJson } from './json.js';
import { UNSTARTED_RUNS_OF_SCHEDULE } from './scheduleActive.js';
import { insertScheduledRun, runTemplate, SCHEDULE_WITH_DEPLOYMENT, type ScheduleWithDeployment } from './scheduledRunInsert.js';
import type { TransitionOutcome } from './transition.js';

const SLUG_CONFLICT = 'Schedule slugs must be unique within a deployment.';

/** Active schedules whose refill time has come, most overdue first (ix_deployment_schedule_refill). */
export const DUE_SCHEDULES = `${SCHEDULE_WITH_DEPLOYMENT} WHERE s.active = 1 AND s.refill_at IS NOT NULL AND s.refill_at <= ? ORDER BY s.refill_at LIMIT ?`;

interface DeploymentInfo {
  id: string;
  paused: number;
  parameters: string;
  parameter_openapi_schema: string | null;
  enforce_parameter_schema: number;
  work_pool_id: string | null;
}

/**
 * Deployment schedules (the `/deployments/{id}/schedules` endpoints) and the scheduler's reads and
 * writes. Each schedule row carries the scheduler's cursor (`next_fire_time`, the next slot without
 * a run) and `refill_at` (when it next needs runs), so a pass reads only the schedules that are
 * due and never rescans the others.
 */
export class SqliteSchedules implements ScheduleStore {
  private readonly sweeps: DueRunSweeps;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly emit: (c: Change) => void,
  ) {
    this.sweeps = new DueRunSweeps(db, clock, (o) => this.notify(o));
  }

  private notify(outcome: TransitionOutcome): void {
    if (!outcome.written) return;
    const run = outcome.run;
    this.emit({ kind: 'flow_run', flowRunId: run.id, workPoolId: outcome.workPoolId, stateType: run.state_type, workerId: run.worker_id });
  }

  private deployment(id: string): DeploymentInfo {
    const row = this.db
      .prepare(
        `SELECT d.id, d.paused, d.parameters, d.parameter_openapi_schema, d.enforce_parameter_schema, q.work_pool_id
         FROM deployment d LEFT JOIN work_queue q ON q.id = d.work_queue_id WHERE d.id = ?`,
      )
      .get(id) as DeploymentInfo | undefined;
    if (!row) throw new NotFoundError('Deployment not found');
    return row;
  }

  private views(ids: readonly string[], deployment: DeploymentInfo, now: number): DeploymentSchedule[] {
    if (ids.length === 0) return [];
    const rows = this.db.prepare(`${SCHEDULE_SELECT} WHERE s.id IN (${ids.map(() => '?').join(', ')}) ORDER BY s.created, s.id`).all(now, ...ids) as ScheduleRow[];
    return rows.map((r) => scheduleFromRow(r, now, deployment.paused === 1) as DeploymentSchedule);
  }

  /** Parameters of a schedule, checked like a deployment's defaults (given values only). */
  private checkParameters(deployment: DeploymentInfo, parameters: Record<string, unknown> | undefined, loc: (string | number)[]): ErrorDetail[] {
    if (!parameters || deployment.enforce_parameter_schema !== 1) return [];
    return validateParameters(fromJson(deployment.parameter_openapi_schema, null), { ...fromJson(deployment.parameters, {}), ...parameters }, { requireAll: false, loc });
  }

  private changed(deployment: DeploymentInfo): void {
    this.emit({ kind: 'deployment', deploymentId: deployment.id, workPoolId: deployment.work_pool_id });
  }

  async list(deploymentId: string): Promise<DeploymentSchedule[]> {
    const deployment = this.deployment(deploymentId);
    const ids = this.db.prepare('SELECT id FROM deployment_schedule WHERE deployment_id = ? ORDER BY created, id').pluck().all(deploymentId) as string[];
    return this.views(ids, deployment, this.clock.now());
  }

  async create(deploymentId: string, inputs: readonly DeploymentScheduleCreate[]): Promise<DeploymentSchedule[]> {
    const now = this.clock.now();
    const ids: string[] = [];
    const deployment = this.db
      .transaction(() => {
        const d = this.deployment(deploymentId);
        const taken = new Set(this.db.prepare('SELECT slug FROM deployment_schedule WHERE deployment_id = ? AND slug IS NOT NULL').pluck().all(deploymentId) as string[]);
        for (const input of inputs) {
          if (!input.slug) continue;
          if (taken.has(input.slug)) throw new ConflictError(SLUG_CONFLICT);
          taken.add(input.slug);
        }
        const problems = inputs.flatMap((input, i) => this.checkParameters(d, input.parameters, ['body', i, 'parameters']));
        if (problems.length > 0) throw new InvalidError('Invalid schedule parameters.', problems);
        const insert = this.db.prepare(
          `INSERT INTO deployment_schedule (id, created, updated, deployment_id, schedule, active, max_scheduled_runs, parameters, slug, catchup, max_active_runs, refill_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        );
        for (const input of inputs) {
          const id = uuid7(now);
          ids.push(id);
          insert.run(id, now, now, deploymentId, toJson(input.schedule), bit(input.active), input.max_scheduled_runs ?? null, toJson(input.parameters), input.slug ?? null, input.catchup, input.max_active_runs ?? null, input.active ? 0 : null);
        }
        return d;
      })
      .immediate();
    this.changed(deployment);
    return this.views(ids, deployment, now);
  }

  private find(deploymentId: string, scheduleId: string): { d: DeploymentInfo; row: ScheduleRow } {
    const d = this.deployment(deploymentId);
    const row = this.db.prepare('SELECT * FROM deployment_schedule WHERE id = ? AND deployment_id = ?').get(scheduleId, deploymentId) as ScheduleRow | undefined;
    if (!row) throw new NotFoundError('Schedule not found.');
    return { d, row };
  }

  async update(deploymentId: string, scheduleId: string, patch: DeploymentScheduleUpdate): Promise<void> {
    const now = this.clock.now();
    const deployment = this.db
      .transaction(() => {
        const { d, row } = this.find(deploymentId, scheduleId);
        if (patch.slug && patch.slug !== row.slug && this.db.prepare('SELECT 1 FROM deployment_schedule WHERE deployment_id = ? AND slug = ?').get(deploymentId, patch.slug)) {
          throw new ConflictError(SLUG_CONFLICT);
        }
        const problems = this.checkParameters(d, patch.parameters, ['body', 'parameters']);
        if (problems.length > 0) throw new InvalidError('Invalid schedule parameters.', problems);
        const active = patch.active ?? row.active === 1;
        const sets: [string, unknown][] = [
          ['schedule', patch.schedule === undefined ? undefined : toJson(patch.schedule)],
          ['active', patch.active === undefined ? undefined : bit(patch.active)],
          ['max_scheduled_runs', patch.max_scheduled_runs],
          ['parameters', patch.parameters === undefined ? undefined : toJson(patch.parameters)],
          ['slug', patch.slug],
          ['catchup', patch.catchup],
          ['max_active_runs', patch.max_active_runs],
        ];
        const given = sets.filter(([, v]) => v !== undefined);
        // Planned afresh from now: the runs still to come are replaced by ones that match the change.
        this.db
          .prepare(
            `UPDATE deployment_schedule SET ${given.map(([k]) => `${k} = ?, `).join('')}updated = ?, next_fire_time = NULL, refill_at = ?, last_error = NULL WHERE id = ?`,
          )
          .run(...given.map(([, v]) => v ?? null), now, active ? 0 : null, scheduleId);
        this.db.prepare(`DELETE FROM flow_run WHERE ${UNSTARTED_RUNS_OF_SCHEDULE} AND next_scheduled_start_time >= ?`).run(scheduleId, now);
        return d;
      })
      .immediate();
    this.changed(deployment);
  }

  async delete(deploymentId: string, scheduleId: string): Promise<void> {
    const deployment = this.db
      .transaction(() => {
        const { d } = this.find(deploymentId, scheduleId);
        // Its waiting runs go too, late ones included: a deleted schedule's runs never fire.
        this.db.prepare(`DELETE FROM flow_run WHERE ${UNSTARTED_RUNS_OF_SCHEDULE}`).run(scheduleId);
        this.db.prepare('DELETE FROM deployment_schedule WHERE id = ?').run(scheduleId);
        return d;
      })
      .immediate();
    this.changed(deployment);
  }

  async due(now: number, limit: number): Promise<DueSchedule[]> {
    const rows = this.db
      .prepare(DUE_SCHEDULES)
      .all(now, limit) as ScheduleWithDeployment[];
    return rows.map((r) => ({
      id: r.id,
      deploymentId: r.deployment_id,
      schedule: fromJson(r.schedule, {}),
      catchup: r.catchup,
      maxScheduledRuns: r.max_scheduled_runs,
      slug: r.slug,
      parameters: fromJson(r.parameters, {}),
      cursor: r.next_fire_time,
      refillAt: r.refill_at ?? 0,
      deploymentPaused: r.d_paused === 1,
      deploymentParameters: fromJson(r.d_parameters, {}),
      parameterSchema: fromJson(r.d_parameter_openapi_schema, null),
      enforceParameterSchema: r.d_enforce_parameter_schema === 1,
      updated: r.updated,
      deploymentUpdated: r.d_updated,
    }));
  }

  /** The schedule as `due` saw it, or null if it or its deployment changed since. */
  private unchanged(due: DueSchedule): ScheduleWithDeployment | null {
    const row = this.db.prepare(`${SCHEDULE_WITH_DEPLOYMENT} WHERE s.id = ?`).get(due.id) as ScheduleWithDeployment | undefined;
    if (!row || row.updated !== due.updated || row.d_updated !== due.deploymentUpdated || row.next_fire_time !== due.cursor) return null;
    return row;
  }

  async fill(due: DueSchedule, plan: SchedulePlanWrite): Promise<{ applied: boolean; created: number }> {
    const now = this.clock.now();
    const outcomes: TransitionOutcome[] = [];
    const applied = this.db
      .transaction(() => {
        const row = this.unchanged(due);
        if (!row || row.active !== 1 || row.d_paused === 1) return false;
        const template = runTemplate(row);
        for (const slot of plan.slots) {
          const outcome = insertScheduledRun(this.db, now, row, template, slot);
          if (outcome) outcomes.push(outcome);
        }
        this.db.prepare('UPDATE deployment_schedule SET next_fire_time = ?, refill_at = ?, last_error = NULL WHERE id = ?').run(plan.cursor, plan.refillAt, due.id);
        return true;
      })
      .immediate();
    for (const o of outcomes) this.notify(o);
    return { applied, created: outcomes.length };
  }

  async park(due: DueSchedule, error: string | null): Promise<void> {
    this.db.transaction(() => {
      if (this.unchanged(due)) this.db.prepare('UPDATE deployment_schedule SET refill_at = NULL, last_error = ? WHERE id = ?').run(error, due.id);
    }).immediate();
  }

  async reset(deploymentId: string): Promise<void> {
    const now = this.clock.now();
    this.db
      .transaction(() => {
        const rows = this.db.prepare(`${SCHEDULE_WITH_DEPLOYMENT} WHERE s.deployment_id = ?`).all(deploymentId) as ScheduleWithDeployment[];
        for (const row of rows) {
          const plan = row.active === 1 && row.d_paused === 0;
          this.db.prepare('UPDATE deployment_schedule SET next_fire_time = NULL, refill_at = ? WHERE id = ?').run(plan ? 0 : null, row.id);
          if (plan) this.replaceStaleRuns(row, now);
        }
      })
      .immediate();
  }

  /**
   * When a deployment change alters what its runs would be (parameters, tags, queue, version), the
   * schedule's runs still to come are replaced; unchanged ones are kept (a no-op redeploy keeps
   * the same run ids). One run is enough to tell: all of them were made from the same rows.
   */
  private replaceStaleRuns(row: ScheduleWithDeployment, now: number): void {
    const next = this.db
      .prepare(`SELECT parameters, tags, work_queue_id, deployment_version FROM flow_run WHERE ${UNSTARTED_RUNS_OF_SCHEDULE} AND next_scheduled_start_time >= ? ORDER BY next_scheduled_start_time LIMIT 1`)
      .get(row.id, now) as { parameters: string; tags: string; work_queue_id: string | null; deployment_version: string | null } | undefined;
    if (!next) return;
    const template = runTemplate(row);
    const same =
      next.parameters === toJson(template.parameters) &&
      next.tags === toJson(template.tags) &&
      next.work_queue_id === row.d_work_queue_id &&
      next.deployment_version === row.d_version;
    if (!same) this.db.prepare(`DELETE FROM flow_run WHERE ${UNSTARTED_RUNS_OF_SCHEDULE} AND next_scheduled_start_time >= ?`).run(row.id, now);
  }

  async sweepDueRuns(options: DueRunSweepOptions): Promise<DueRunChange[]> {
    return this.sweeps.sweep(options);
  }
}
