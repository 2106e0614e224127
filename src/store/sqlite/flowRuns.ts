import { BadRequestError, NotFoundError } from '../../domain/errors.js';
import { uuid7 } from '../../domain/ids.js';
import { normalizeProposal } from '../../domain/orchestration/flowPolicy.js';
import type { CrossFilters, FlowRunSort } from '../../domain/schemas/filters.js';
import type { FlowRun, FlowRunUpdate } from '../../domain/schemas/flowRuns.js';
import type { OrchestrationResult, SetStateBody, State } from '../../domain/schemas/states.js';
import type { Clock } from '../../domain/time.js';
import type { ClaimedRun, ScheduledRun } from '../../domain/schemas/workerRuns.js';
import type { Change, ClaimOptions, FlowRunStore, FlowRunWrite } from '../store.js';
import { FlowRunClaims } from './claims.js';
import { LeaseSweeps } from './leases.js';
import type { Db } from './db.js';
import { flowRunPageQuery, flowRunWhere } from './filters/flowRunPage.js';
import {
  FLOW_RUN_VIEW_COLUMNS,
  FLOW_RUN_VIEW_JOINS,
  flowRunFromRow,
  stateFromRow,
  type FlowRunViewRow,
  type StateRow,
} from './flowRunRows.js';
import { bit, toJson, toJsonOrNull } from './json.js';
import { resolveWorkQueue } from './queueResolution.js';
import { allRows } from './rowObjects.js';
import { setClause } from './setClause.js';
import { insertRun, transition, type TransitionOutcome } from './transition.js';
import type { WriteBatcher } from './writeBatcher.js';

export class SqliteFlowRuns implements FlowRunStore {
  private readonly claims: FlowRunClaims;
  private readonly leases: LeaseSweeps;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly emit: (c: Change) => void,
    private readonly writes: WriteBatcher,
  ) {
    this.claims = new FlowRunClaims(db, clock, (ids) => this.views(ids), (o) => this.notify(o), emit);
    this.leases = new LeaseSweeps(db, clock, (o) => this.notify(o));
  }

  /** Full responses for run ids, in the given order. */
  views(ids: readonly string[]): FlowRun[] {
    if (ids.length === 0) return [];
    const rows = allRows<FlowRunViewRow>(
      this.db.prepare(`SELECT ${FLOW_RUN_VIEW_COLUMNS} FROM flow_run r ${FLOW_RUN_VIEW_JOINS} WHERE r.id IN (${ids.map(() => '?').join(', ')})`),
      ids,
    );
    const now = this.clock.now();
    const byId = new Map(rows.map((r) => [r.id, flowRunFromRow(r, now)]));
    return ids.map((id) => byId.get(id)).filter((r): r is FlowRun => r !== undefined);
  }

  private notify(outcome: TransitionOutcome): void {
    if (!outcome.written) return;
    this.emit({
      kind: 'flow_run',
      flowRunId: outcome.run.id,
      workPoolId: outcome.workPoolId,
      stateType: outcome.run.state_type,
      workerId: outcome.run.worker_id,
    });
  }

  async create(input: FlowRunWrite): Promise<{ flowRun: FlowRun; created: boolean }> {
    const { id, outcome } = await this.writes.run(() => this.insert(input, this.clock.now()));
    if (outcome) this.notify(outcome);
    return { flowRun: await this.get(id), created: outcome !== null };
  }

  /**
   * Inserts a run with its first state (forced, as Prefect does), inside the caller's
   * transaction. An existing run with the same idempotency key or schedule slot is returned
   * instead, with no outcome.
   */
  private insert(input: FlowRunWrite, now: number): { id: string; outcome: TransitionOutcome | null } {
    if (input.idempotencyKey) {
      const existing = this.db.prepare('SELECT id FROM flow_run WHERE flow_id = ? AND idempotency_key = ?').get(input.flowId, input.idempotencyKey) as
        | { id: string }
        | undefined;
      if (existing) return { id: existing.id, outcome: null };
    }
    if (!this.db.prepare('SELECT 1 FROM flow WHERE id = ?').get(input.flowId)) throw new NotFoundError('Flow not found');
    const queue = input.workPoolName ? resolveWorkQueue(this.db, now, input.workPoolName, input.workQueueName, input.createQueue) : null;
    const outcome = insertRun(
      this.db,
      now,
      {
        id: uuid7(now),
        created: now,
        name: input.name,
        flow_id: input.flowId,
        deployment_id: input.deploymentId,
        deployment_version: input.deploymentVersion,
        work_queue_id: queue?.id ?? null,
        work_queue_name: queue?.name ?? null,
        flow_version: input.flowVersion,
        parameters: toJson(input.parameters),
        idempotency_key: input.idempotencyKey,
        context: toJson(input.context),
        empirical_policy: toJson(input.empiricalPolicy),
        tags: toJson(input.tags),
        labels: toJson(input.labels),
        parent_task_run_id: input.parentTaskRunId,
        auto_scheduled: bit(input.autoScheduled),
        infrastructure_document_id: input.infrastructureDocumentId,
        created_by: toJsonOrNull(input.createdBy),
        job_variables: toJson(input.jobVariables ?? {}),
        schedule_slot: input.scheduleSlot,
      },
      normalizeProposal(input.state, now),
    );
    if (outcome) return { id: outcome.run.id, outcome };
    // The schedule slot already has its run: return that one.
    const slotRun = this.db.prepare('SELECT id FROM flow_run WHERE deployment_id = ? AND schedule_slot = ?').get(input.deploymentId, input.scheduleSlot) as { id: string };
    return { id: slotRun.id, outcome: null };
  }

  async get(id: string): Promise<FlowRun> {
    const [run] = this.views([id]);
    if (!run) throw new NotFoundError('Flow run not found');
    return run;
  }

  async filter(filters: CrossFilters, sort: FlowRunSort, limit: number, offset: number): Promise<FlowRun[]> {
    const page = flowRunPageQuery(filters, sort);
    const ids = this.db.prepare(page.sql).pluck().all(...page.params, limit, offset) as string[];
    return this.views(ids);
  }

  async count(filters: CrossFilters): Promise<number> {
    const c = flowRunWhere(filters);
    return this.db.prepare(`SELECT count(*) FROM flow_run r ${c.sql()}`).pluck().get(...c.params) as number;
  }

  async update(id: string, patch: FlowRunUpdate): Promise<void> {
    const row = this.db.prepare('SELECT state_type, deployment_id FROM flow_run WHERE id = ?').get(id) as
      | { state_type: string | null; deployment_id: string | null }
      | undefined;
    if (!row) throw new NotFoundError('Flow run not found');
    if (patch.job_variables !== undefined && (row.state_type !== 'SCHEDULED' || !row.deployment_id)) {
      throw new BadRequestError('Job variables can only be changed while the run is SCHEDULED and belongs to a deployment.');
    }
    const { sql, params } = setClause({
      name: patch.name,
      flow_version: patch.flow_version,
      parameters: patch.parameters === undefined ? undefined : toJson(patch.parameters),
      empirical_policy: patch.empirical_policy === undefined ? undefined : toJson(patch.empirical_policy),
      tags: patch.tags === undefined ? undefined : toJson(patch.tags),
      labels: patch.labels === undefined ? undefined : toJson(patch.labels),
      infrastructure_pid: patch.infrastructure_pid,
      job_variables: patch.job_variables === undefined ? undefined : toJson(patch.job_variables ?? {}),
    });
    if (sql === '') return;
    this.db.prepare(`UPDATE flow_run SET ${sql}, updated = ? WHERE id = ?`).run(...params, this.clock.now(), id);
  }

  async delete(id: string): Promise<void> {
    const run = this.db.prepare('SELECT r.id, q.work_pool_id FROM flow_run r LEFT JOIN work_queue q ON q.id = r.work_queue_id WHERE r.id = ?').get(id) as
      | { id: string; work_pool_id: string | null }
      | undefined;
    if (!run) throw new NotFoundError('Flow run not found');
    this.db.prepare('DELETE FROM flow_run WHERE id = ?').run(id);
    // A deleted run may have held a slot: waiting workers should look again.
    this.emit({ kind: 'flow_run', flowRunId: id, workPoolId: run.work_pool_id, stateType: null, workerId: null });
  }

  async setState(id: string, body: SetStateBody): Promise<{ result: OrchestrationResult; written: boolean }> {
    const outcome = await this.writes.run(() => {
      const now = this.clock.now();
      return transition(this.db, now, id, normalizeProposal(body.state, now), {
        force: body.force,
        retryType: body.retry_type,
        claimToken: body.claim_token,
      });
    });
    this.notify(outcome);
    return { result: resultOf(outcome), written: outcome.written };
  }

  async states(id: string): Promise<State[]> {
    if (!this.db.prepare('SELECT 1 FROM flow_run WHERE id = ?').get(id)) throw new NotFoundError('Flow run not found');
    const rows = this.db.prepare('SELECT * FROM flow_run_state WHERE flow_run_id = ? ORDER BY timestamp, id').all(id) as StateRow[];
    return rows.map(stateFromRow);
  }

  async stateById(stateId: string): Promise<State | null> {
    const row = this.db.prepare('SELECT * FROM flow_run_state WHERE id = ?').get(stateId) as StateRow | undefined;
    return row ? stateFromRow(row) : null;
  }

  claim(poolName: string, options: ClaimOptions): Promise<ClaimedRun[]> {
    return this.claims.claim(poolName, options);
  }

  scheduled(poolName: string, options: Omit<ClaimOptions, 'workerName'> & { scheduledAfter?: number | undefined }): Promise<ScheduledRun[]> {
    return this.claims.scheduled(poolName, options);
  }

  nextDueTime(poolName: string, queueNames: readonly string[]): Promise<number | null> {
    return this.claims.nextDueTime(poolName, queueNames);
  }

  async reapExpiredLeases(): Promise<{ flowRunId: string; from: string; to: string }[]> {
    return this.leases.reapExpired();
  }

  async nextLeaseExpiry(): Promise<number | null> {
    return this.leases.nextExpiry();
  }

  async timeoutCancelling(timeoutMs: number): Promise<{ flowRunId: string; from: string; to: string }[]> {
    return this.leases.timeoutCancelling(timeoutMs);
  }

  cancelling(poolName: string, workerName: string): Promise<{ flow_run_id: string; claim_token: string | null }[]> {
    return this.claims.cancelling(poolName, workerName);
  }
}

/** Prefect's OrchestrationResult for a transition outcome. */
export function resultOf(outcome: TransitionOutcome): OrchestrationResult {
  const { decision } = outcome;
  const state = outcome.state ? stateFromRow(outcome.state) : null;
  switch (decision.status) {
    case 'ACCEPT':
      return { status: 'ACCEPT', state, details: { type: 'accept_details' } };
    case 'REJECT':
      return { status: 'REJECT', state, details: { type: 'reject_details', reason: decision.reason } };
    case 'ABORT':
      return { status: 'ABORT', state, details: { type: 'abort_details', reason: decision.reason } };
    case 'WAIT':
      return { status: 'WAIT', state, details: { type: 'wait_details', delay_seconds: decision.delaySeconds ?? 0, reason: decision.reason } };
  }
}
