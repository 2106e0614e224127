import { NotFoundError } from '../../domain/errors.js';
import { uuid7 } from '../../domain/ids.js';
import type { CrossFilters, DeploymentSort } from '../../domain/schemas/filters.js';
import type { Flow, FlowCreate, FlowUpdate } from '../../domain/schemas/flows.js';
import { toIso, type Clock } from '../../domain/time.js';
import type { FlowStore } from '../store.js';
import type { Db } from './db.js';
import { crossConditions, flowConditions } from './filters/crossFilters.js';
import { BATCH_ROWS, inBatches } from './inBatches.js';
import { fromJson, toJson } from './json.js';
import { setClause } from './setClause.js';
import { Conditions } from './where.js';

interface FlowRow {
  id: string;
  created: number;
  updated: number;
  name: string;
  tags: string;
  labels: string;
}

function flowFromRow(row: FlowRow): Flow {
  return {
    id: row.id,
    created: toIso(row.created),
    updated: toIso(row.updated),
    name: row.name,
    tags: fromJson(row.tags, []),
    labels: fromJson(row.labels, {}),
  };
}

const SORTS: Record<DeploymentSort, string> = {
  CREATED_DESC: 'f.created DESC, f.id DESC',
  UPDATED_DESC: 'f.updated DESC, f.id DESC',
  NAME_ASC: 'f.name ASC',
  NAME_DESC: 'f.name DESC',
};

export class SqliteFlows implements FlowStore {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async upsert(input: FlowCreate): Promise<{ flow: Flow; created: boolean }> {
    const now = this.clock.now();
    const inserted = this.db
      .prepare('INSERT INTO flow (id, created, updated, name, tags, labels) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING *')
      .get(uuid7(now), now, now, input.name, toJson(input.tags), toJson(input.labels)) as FlowRow | undefined;
    if (inserted) return { flow: flowFromRow(inserted), created: true };
    return { flow: await this.getByName(input.name), created: false };
  }

  async get(id: string): Promise<Flow> {
    const row = this.db.prepare('SELECT * FROM flow WHERE id = ?').get(id) as FlowRow | undefined;
    if (!row) throw new NotFoundError('Flow not found');
    return flowFromRow(row);
  }

  async getByName(name: string): Promise<Flow> {
    const row = this.db.prepare('SELECT * FROM flow WHERE name = ?').get(name) as FlowRow | undefined;
    if (!row) throw new NotFoundError('Flow not found');
    return flowFromRow(row);
  }

  private where(filters: CrossFilters): Conditions {
    const c = new Conditions();
    if (filters.flows) c.group(flowConditions(filters.flows));
    c.group(
      crossConditions(filters, 'flows', {
        flowRunIds: (where) => `f.id IN (SELECT r.flow_id FROM flow_run r ${where})`,
      }),
    );
    if (filters.deployments || filters.work_pools || filters.work_pool_queues) {
      // Flows that have a deployment matching the deployment/pool/queue filters.
      const d = crossConditions(filters, 'flows', { deploymentId: 'd2.id', workQueueId: 'd2.work_queue_id' });
      c.add(`f.id IN (SELECT d2.flow_id FROM deployment d2 ${d.sql()})`, ...d.params);
    }
    return c;
  }

  async filter(filters: CrossFilters, sort: DeploymentSort, limit: number, offset: number): Promise<Flow[]> {
    const c = this.where(filters);
    const rows = this.db
      .prepare(`SELECT f.* FROM flow f ${c.sql()} ORDER BY ${SORTS[sort]} LIMIT ? OFFSET ?`)
      .all(...c.params, limit, offset) as FlowRow[];
    return rows.map(flowFromRow);
  }

  async count(filters: CrossFilters): Promise<number> {
    const c = this.where(filters);
    return (this.db.prepare(`SELECT count(*) AS n FROM flow f ${c.sql()}`).get(...c.params) as { n: number }).n;
  }

  async update(id: string, patch: FlowUpdate): Promise<void> {
    await this.get(id);
    const { sql, params } = setClause({
      tags: patch.tags === undefined ? undefined : toJson(patch.tags),
      labels: patch.labels === undefined ? undefined : toJson(patch.labels),
    });
    if (sql !== '') this.db.prepare(`UPDATE flow SET ${sql}, updated = ? WHERE id = ?`).run(...params, this.clock.now(), id);
  }

  /** Its runs go in batches (the server keeps serving meanwhile), then the flow with its deployments. */
  async delete(id: string): Promise<void> {
    if (!this.db.prepare('SELECT 1 FROM flow WHERE id = ?').get(id)) throw new NotFoundError('Flow not found');
    await inBatches(this.db.prepare(`DELETE FROM flow_run WHERE id IN (SELECT id FROM flow_run WHERE flow_id = ? LIMIT ${BATCH_ROWS})`), id);
    // Runs made meanwhile (a schedule, a trigger) go with the flow, by the foreign keys.
    const result = this.db.prepare('DELETE FROM flow WHERE id = ?').run(id);
    if (result.changes === 0) throw new NotFoundError('Flow not found');
  }
}
