import { ConflictError, InvalidError, NotFoundError, type ErrorDetail } from '../../domain/errors.js';
import { uuid7 } from '../../domain/ids.js';
import { validateJobVariables } from '../../domain/jobTemplate.js';
import { checkParameterSchema, validateParameters } from '../../domain/parameters.js';
import { parsePullSteps } from '../../domain/pullSteps.js';
import type { DeploymentScheduleCreate } from '../../domain/schedules/schema.js';
import type { Deployment, DeploymentCreate, DeploymentUpdate } from '../../domain/schemas/deployments.js';
import type { CrossFilters, DeploymentSort } from '../../domain/schemas/filters.js';
import { TERMINAL_STATE_TYPES } from '../../domain/states.js';
import type { Clock } from '../../domain/time.js';
import type { Change, DeploymentConcurrencyInfo, DeploymentStore } from '../store.js';
import type { Db } from './db.js';
import { DEPLOYMENT_SELECT, deploymentFromRow, SCHEDULE_SELECT, type DeploymentRow, type ScheduleRow } from './deploymentRows.js';
import { crossConditions, deploymentConditions } from './filters/crossFilters.js';
import { BATCH_ROWS, inBatches } from './inBatches.js';
import { bit, fromJson, toJson, toJsonOrNull } from './json.js';
import { resolveWorkQueue } from './queueResolution.js';
import { continuedSchedules } from './scheduleIdentity.js';
import { Conditions } from './where.js';

const SORTS: Record<DeploymentSort, string> = {
  CREATED_DESC: 'd.created DESC, d.id DESC',
  UPDATED_DESC: 'd.updated DESC, d.id DESC',
  NAME_ASC: 'f.name ASC, d.name ASC',
  NAME_DESC: 'f.name DESC, d.name DESC',
};

type Fields = DeploymentUpdate;

export class SqliteDeployments implements DeploymentStore {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly emit: (c: Change) => void,
  ) {}

  private rows(where: string, params: unknown[], tail = ''): Deployment[] {
    const rows = this.db.prepare(`${DEPLOYMENT_SELECT} ${where} ${tail}`).all(...params) as DeploymentRow[];
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const now = this.clock.now();
    const schedules = this.db
      .prepare(`${SCHEDULE_SELECT} WHERE s.deployment_id IN (${ids.map(() => '?').join(', ')}) ORDER BY s.created, s.id`)
      .all(now, ...ids) as ScheduleRow[];
    const byDeployment = new Map<string, ScheduleRow[]>();
    for (const s of schedules) byDeployment.set(s.deployment_id, [...(byDeployment.get(s.deployment_id) ?? []), s]);
    return rows.map((r) => deploymentFromRow(r, byDeployment.get(r.id) ?? [], now));
  }

  async get(id: string): Promise<Deployment> {
    const [d] = this.rows('WHERE d.id = ?', [id]);
    if (!d) throw new NotFoundError('Deployment not found');
    return d;
  }

  async getByName(flowName: string, name: string): Promise<Deployment> {
    const [d] = this.rows('WHERE f.name = ? AND d.name = ?', [flowName, name]);
    if (!d) throw new NotFoundError(`Deployment '${flowName}/${name}' not found`);
    return d;
  }

  private where(filters: CrossFilters): Conditions {
    const c = new Conditions();
    if (filters.deployments) c.group(deploymentConditions(filters.deployments));
    c.group(
      crossConditions(filters, 'deployments', {
        flowId: 'd.flow_id',
        workQueueId: 'd.work_queue_id',
        flowRunIds: (where) => `d.id IN (SELECT r.deployment_id FROM flow_run r ${where})`,
      }),
    );
    return c;
  }

  async filter(filters: CrossFilters, sort: DeploymentSort, limit: number, offset: number): Promise<Deployment[]> {
    const c = this.where(filters);
    return this.rows(c.sql(), c.params, `ORDER BY ${SORTS[sort]} LIMIT ${Number(limit)} OFFSET ${Number(offset)}`);
  }

  async count(filters: CrossFilters): Promise<number> {
    const c = this.where(filters);
    return (this.db.prepare(`SELECT count(*) AS n FROM deployment d JOIN flow f ON f.id = d.flow_id ${c.sql()}`).get(...c.params) as { n: number }).n;
  }

  /** The pool and queue a deployment's runs go to; a named queue is created in the pool if missing. */
  private resolveQueue(poolName: string | null | undefined, queueName: string | null | undefined, now: number): { id: string | null; name: string | null; template: Record<string, unknown> | null } {
    if (!poolName) {
      if (queueName) {
        throw new InvalidError('A work queue needs its work pool.', [
          { loc: ['body', 'work_pool_name'], msg: `work_queue_name '${queueName}' was given without work_pool_name: name the pool too`, type: 'missing' },
        ]);
      }
      return { id: null, name: null, template: null };
    }
    const queue = resolveWorkQueue(this.db, now, poolName, queueName, true);
    return { id: queue.id, name: queue.name, template: queue.template };
  }

  /** Checks the fields that depend on other objects: job variables, default parameters, pull steps. */
  private check(fields: Fields, template: Record<string, unknown> | null, schema: Record<string, unknown> | null, enforce: boolean): void {
    const problems: ErrorDetail[] = [];
    if (template && fields.job_variables) problems.push(...validateJobVariables(template, fields.job_variables));
    if (fields.parameter_openapi_schema) problems.push(...checkParameterSchema(fields.parameter_openapi_schema));
    if (enforce && schema && fields.parameters && problems.length === 0) {
      problems.push(...validateParameters(schema, fields.parameters, { requireAll: false }));
    }
    if (fields.pull_steps) problems.push(...parsePullSteps(fields.pull_steps).problems);
    if (problems.length > 0) throw new InvalidError('Invalid deployment.', problems);
  }

  async upsert(input: DeploymentCreate): Promise<{ deployment: Deployment; created: boolean }> {
    const now = this.clock.now();
    let id = '';
    let created = false;
    let poolId: string | null = null;
    this.db
      .transaction(() => {
        if (!this.db.prepare('SELECT 1 FROM flow WHERE id = ?').get(input.flow_id)) throw new NotFoundError('Flow not found');
        const existing = this.db.prepare('SELECT id, paused, enforce_parameter_schema FROM deployment WHERE flow_id = ? AND name = ?').get(input.flow_id, input.name) as
          | { id: string; paused: number; enforce_parameter_schema: number }
          | undefined;
        const queue = this.resolveQueue(input.work_pool_name, input.work_queue_name, now);
        // Operator state survives a redeploy unless the request says otherwise.
        const paused = input.paused ?? (existing ? existing.paused === 1 : false);
        const enforce = input.enforce_parameter_schema ?? (existing ? existing.enforce_parameter_schema === 1 : true);
        this.check(input, queue.template, input.parameter_openapi_schema ?? null, enforce);
        const values = [
          input.version ?? null,
          input.description ?? null,
          bit(paused),
          toJson(input.tags ?? []),
          toJson(input.labels ?? {}),
          toJson(input.parameters ?? {}),
          toJsonOrNull(input.parameter_openapi_schema),
          bit(enforce),
          toJson(input.job_variables ?? {}),
          toJsonOrNull(input.pull_steps),
          input.entrypoint ?? null,
          input.path ?? null,
          queue.id,
          queue.name,
          input.concurrency_limit ?? null,
          toJsonOrNull(input.concurrency_options),
          toJsonOrNull(input.version_info),
        ];
        if (existing) {
          id = existing.id;
          this.db
            .prepare(
              `UPDATE deployment SET version = ?, description = ?, paused = ?, tags = ?, labels = ?, parameters = ?,
                 parameter_openapi_schema = ?, enforce_parameter_schema = ?, job_variables = ?, pull_steps = ?, entrypoint = ?,
                 path = ?, work_queue_id = ?, work_queue_name = ?, concurrency_limit = ?, concurrency_options = ?, version_info = ?,
                 updated = ? WHERE id = ?`,
            )
            .run(...values, now, id);
        } else {
          id = uuid7(now);
          created = true;
          this.db
            .prepare(
              `INSERT INTO deployment (version, description, paused, tags, labels, parameters, parameter_openapi_schema,
                 enforce_parameter_schema, job_variables, pull_steps, entrypoint, path, work_queue_id, work_queue_name,
                 concurrency_limit, concurrency_options, version_info, id, created, updated, flow_id, name)
               VALUES (${values.map(() => '?').join(', ')}, ?, ?, ?, ?, ?)`,
            )
            .run(...values, id, now, now, input.flow_id, input.name);
        }
        // Left out, the schedules stay as they are (a redeploy never undoes an operator's edits);
        // an explicit list, even empty, replaces them.
        if (input.schedules !== undefined || !existing) this.replaceSchedules(id, input.schedules ?? [], now, { keepPaused: true });
        poolId = this.poolIdOfQueue(queue.id);
      })
      .immediate();
    this.emit({ kind: 'deployment', deploymentId: id, workPoolId: poolId });
    return { deployment: await this.get(id), created };
  }

  private poolIdOfQueue(queueId: string | null): string | null {
    if (!queueId) return null;
    return (this.db.prepare('SELECT work_pool_id FROM work_queue WHERE id = ?').get(queueId) as { work_pool_id: string } | undefined)?.work_pool_id ?? null;
  }

  /**
   * Replaces a deployment's schedules. With `keepPaused` (a redeploy), a schedule an operator
   * paused stays paused: it is matched by slug, else by identical schedule. When the set of
   * schedules changes, future auto-scheduled runs that have not started are removed so the
   * scheduler can create the new ones; runs created by hand are never touched. A schedule that
   * continues a stored one (see continuedSchedules) keeps its id.
   */
  replaceSchedules(deploymentId: string, schedules: readonly DeploymentScheduleCreate[], now: number, options: { keepPaused: boolean }): void {
    const slugs = schedules.map((s) => s.slug).filter((slug): slug is string => Boolean(slug));
    if (new Set(slugs).size !== slugs.length) throw new ConflictError('Schedule slugs must be unique within a deployment.');
    const old = this.db.prepare('SELECT * FROM deployment_schedule WHERE deployment_id = ?').all(deploymentId) as ScheduleRow[];
    const paused = (s: DeploymentScheduleCreate): boolean =>
      options.keepPaused &&
      old.some((o) => o.active === 0 && ((s.slug && o.slug === s.slug) || (!s.slug && o.schedule === toJson(s.schedule))));
    const next = schedules.map((s) => ({
      schedule: toJson(s.schedule),
      active: s.active === false || paused(s) ? 0 : 1,
      max_scheduled_runs: s.max_scheduled_runs ?? null,
      parameters: toJson(s.parameters ?? {}),
      slug: s.slug ?? null,
      catchup: s.catchup ?? 'latest',
      max_active_runs: s.max_active_runs ?? null,
    }));
    const signature = (rows: { schedule: string; active: number; parameters: string; slug: string | null; catchup: string; max_active_runs: number | null; max_scheduled_runs: number | null }[]): string =>
      JSON.stringify(rows.map((r) => [r.schedule, r.active, r.parameters, r.slug, r.catchup, r.max_active_runs, r.max_scheduled_runs]).sort());
    if (signature(old) === signature(next)) return;
    // Continued schedules are changed in place (same id), the others deleted, new ones inserted.
    const continued = continuedSchedules(old, next);
    const kept = new Set(continued.filter((id): id is string => id !== null));
    const remove = this.db.prepare('DELETE FROM deployment_schedule WHERE id = ?');
    for (const o of old) if (!kept.has(o.id)) remove.run(o.id);
    const update = this.db.prepare(
      `UPDATE deployment_schedule SET updated = ?, schedule = ?, active = ?, max_scheduled_runs = ?, parameters = ?, slug = ?, catchup = ?,
         max_active_runs = ?, next_fire_time = NULL, refill_at = 0, last_error = NULL WHERE id = ?`,
    );
    const insert = this.db.prepare(
      `INSERT INTO deployment_schedule (id, created, updated, deployment_id, schedule, active, max_scheduled_runs, parameters, slug, catchup, max_active_runs)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    next.forEach((s, i) => {
      const id = continued[i];
      if (id) update.run(now, s.schedule, s.active, s.max_scheduled_runs, s.parameters, s.slug, s.catchup, s.max_active_runs, id);
      else insert.run(uuid7(now), now, now, deploymentId, s.schedule, s.active, s.max_scheduled_runs, s.parameters, s.slug, s.catchup, s.max_active_runs);
    });
    this.deleteFutureAutoScheduledRuns(deploymentId, now);
  }

  /** Future auto-scheduled runs that never started (not those waiting for a concurrency slot). */
  deleteFutureAutoScheduledRuns(deploymentId: string, now: number | null): number {
    const sql = `DELETE FROM flow_run WHERE deployment_id = ? AND auto_scheduled = 1 AND state_type = 'SCHEDULED'
      AND run_count = 0 AND state_name != 'AwaitingConcurrencySlot'${now === null ? '' : ' AND next_scheduled_start_time >= ?'}`;
    return this.db.prepare(sql).run(...(now === null ? [deploymentId] : [deploymentId, now])).changes;
  }

  async update(id: string, patch: DeploymentUpdate): Promise<void> {
    const now = this.clock.now();
    let poolId: string | null = null;
    this.db
      .transaction(() => {
        const row = this.db.prepare('SELECT d.*, p.name AS pool_name FROM deployment d LEFT JOIN work_queue q ON q.id = d.work_queue_id LEFT JOIN work_pool p ON p.id = q.work_pool_id WHERE d.id = ?').get(id) as
          | (DeploymentRow & { pool_name: string | null })
          | undefined;
        if (!row) throw new NotFoundError('Deployment not found');
        const poolChanged = patch.work_pool_name !== undefined || patch.work_queue_name !== undefined;
        const queue = patch.work_pool_name === null
          ? { id: null, name: null, template: null }
          : poolChanged
          ? this.resolveQueue(
              patch.work_pool_name === undefined ? row.pool_name : patch.work_pool_name,
              patch.work_queue_name === undefined ? (patch.work_pool_name === undefined ? row.work_queue_name : null) : patch.work_queue_name,
              now,
            )
          : this.resolveQueue(row.pool_name, row.work_queue_name, now);
        const enforce = patch.enforce_parameter_schema ?? row.enforce_parameter_schema === 1;
        const schema = patch.parameter_openapi_schema !== undefined ? patch.parameter_openapi_schema : fromJson(row.parameter_openapi_schema, null);
        this.check(
          { ...patch, parameters: patch.parameters ?? (patch.parameter_openapi_schema !== undefined ? fromJson(row.parameters, {}) : undefined) },
          queue.template,
          schema,
          enforce,
        );
        const sets: Record<string, string | number | null | undefined> = {
          version: patch.version,
          description: patch.description,
          paused: patch.paused === undefined ? undefined : bit(patch.paused),
          tags: patch.tags === undefined ? undefined : toJson(patch.tags),
          labels: patch.labels === undefined ? undefined : toJson(patch.labels),
          parameters: patch.parameters === undefined ? undefined : toJson(patch.parameters),
          parameter_openapi_schema: patch.parameter_openapi_schema === undefined ? undefined : toJsonOrNull(patch.parameter_openapi_schema),
          enforce_parameter_schema: patch.enforce_parameter_schema === undefined ? undefined : bit(patch.enforce_parameter_schema),
          job_variables: patch.job_variables === undefined ? undefined : toJson(patch.job_variables),
          pull_steps: patch.pull_steps === undefined ? undefined : toJsonOrNull(patch.pull_steps),
          entrypoint: patch.entrypoint,
          path: patch.path,
          work_queue_id: poolChanged ? queue.id : undefined,
          work_queue_name: poolChanged ? queue.name : undefined,
          concurrency_limit: patch.concurrency_limit,
          concurrency_options: patch.concurrency_options === undefined ? undefined : toJsonOrNull(patch.concurrency_options),
          version_info: patch.version_info === undefined ? undefined : toJsonOrNull(patch.version_info),
        };
        const entries = Object.entries(sets).filter(([, v]) => v !== undefined);
        if (entries.length > 0) {
          this.db
            .prepare(`UPDATE deployment SET ${entries.map(([k]) => `${k} = ?`).join(', ')}, updated = ? WHERE id = ?`)
            .run(...entries.map(([, v]) => v ?? null), now, id);
        }
        if (patch.schedules !== undefined) this.replaceSchedules(id, patch.schedules, now, { keepPaused: false });
        if (patch.paused === true) this.deleteFutureAutoScheduledRuns(id, null);
        poolId = this.poolIdOfQueue(poolChanged ? queue.id : row.work_queue_id);
      })
      .immediate();
    this.emit({ kind: 'deployment', deploymentId: id, workPoolId: poolId });
  }

  async setPaused(id: string, paused: boolean): Promise<void> {
    await this.update(id, { paused });
  }

  /**
   * As in Prefect, its runs that never started (Scheduled, by a schedule or by hand) go with it, so
   * no worker picks up a run it can no longer start; the others stay, detached. Finished runs are
   * detached in batches first (the server keeps serving meanwhile), the rest in one transaction.
   */
  async delete(id: string): Promise<void> {
    if (!this.db.prepare('SELECT 1 FROM deployment WHERE id = ?').get(id)) throw new NotFoundError('Deployment not found');
    await inBatches(
      this.db.prepare(
        `UPDATE flow_run SET deployment_id = NULL WHERE id IN (SELECT id FROM flow_run WHERE deployment_id = ?
           AND state_type IN (${TERMINAL_STATE_TYPES.map((t) => `'${t}'`).join(', ')}) LIMIT ${BATCH_ROWS})`,
      ),
      id,
    );
    const deleted = this.db
      .transaction(() => {
        this.db.prepare("DELETE FROM flow_run WHERE deployment_id = ? AND state_type = 'SCHEDULED' AND run_count = 0").run(id);
        return this.db.prepare('DELETE FROM deployment WHERE id = ?').run(id).changes;
      })
      .immediate();
    if (deleted === 0) throw new NotFoundError('Deployment not found');
    this.emit({ kind: 'deployment', deploymentId: id, workPoolId: null });
  }

  concurrency(id: string): DeploymentConcurrencyInfo | null {
    const row = this.db.prepare('SELECT concurrency_limit, concurrency_options FROM deployment WHERE id = ?').get(id) as
      | { concurrency_limit: number | null; concurrency_options: string | null }
      | undefined;
    if (!row || row.concurrency_limit === null) return null;
    const options = fromJson<{ collision_strategy?: 'ENQUEUE' | 'CANCEL_NEW' } | null>(row.concurrency_options, null);
    return { limit: row.concurrency_limit, strategy: options?.collision_strategy ?? 'ENQUEUE' };
  }
}
