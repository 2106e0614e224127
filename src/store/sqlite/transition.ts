import { ConflictError, NotFoundError } from '../../domain/errors.js';
import { uuid7 } from '../../domain/ids.js';
import { deriveRunFields } from '../../domain/orchestration/derivedFields.js';
import { orchestrate } from '../../domain/orchestration/flowPolicy.js';
import type { Decision, DeploymentConcurrency, ProposedState, RunSnapshot } from '../../domain/orchestration/types.js';
import type { EmpiricalPolicy } from '../../domain/schemas/states.js';
import { isTerminal, type RetryType } from '../../domain/states.js';
import { HOLDS_INFRASTRUCTURE } from './activeRuns.js';
import type { Db } from './db.js';
import type { FlowRunRow, StateRow } from './flowRunRows.js';
import { stateRecordFromRow } from './flowRunRows.js';
import { bit, fromJson, toJson } from './json.js';

export interface TransitionOptions {
  force: boolean;
  retryType?: RetryType | undefined;
  /** The caller's claim token; when given, it must match the run's (fencing of stale workers). */
  claimToken?: string | null | undefined;
  /** A worker claiming the run with this transition (set on the run with a fresh token). */
  claim?: { workerId: string; token: string } | undefined;
  /** Drop the run's claim whatever the new state (its worker is gone). */
  releaseClaim?: boolean | undefined;
}

export interface TransitionOutcome {
  decision: Decision;
  /** The state the answer carries: the one written, else the run's current state. */
  state: StateRow | null;
  written: boolean;
  run: FlowRunRow;
  /** The pool the run belongs to, for change notifications. */
  workPoolId: string | null;
}

function concurrencyOf(db: Db, run: FlowRunRow): DeploymentConcurrency | null {
  if (!run.deployment_id) return null;
  const row = db.prepare('SELECT concurrency_limit, concurrency_options FROM deployment WHERE id = ?').get(run.deployment_id) as
    | { concurrency_limit: number | null; concurrency_options: string | null }
    | undefined;
  if (!row || row.concurrency_limit === null) return null;
  const held = db.prepare('SELECT count(*) AS n FROM flow_run WHERE deployment_id = ? AND holds_slot = 1 AND id != ?').get(run.deployment_id, run.id) as { n: number };
  const options = fromJson<{ collision_strategy?: 'ENQUEUE' | 'CANCEL_NEW' } | null>(row.concurrency_options, null);
  return { limit: row.concurrency_limit, strategy: options?.collision_strategy ?? 'ENQUEUE', heldByOthers: held.n };
}

/** Why the run's queue or pool has no free slot, or null. */
function capacityFull(db: Db, run: FlowRunRow): string | null {
  if (!run.work_queue_id) return null;
  const q = db
    .prepare(
      `SELECT q.name AS queue, q.concurrency_limit AS queue_limit, p.name AS pool, p.concurrency_limit AS pool_limit, p.id AS pool_id
       FROM work_queue q JOIN work_pool p ON p.id = q.work_pool_id WHERE q.id = ?`,
    )
    .get(run.work_queue_id) as { queue: string; queue_limit: number | null; pool: string; pool_limit: number | null; pool_id: string } | undefined;
  if (!q) return null;
  if (q.queue_limit !== null) {
    const active = db.prepare(`SELECT count(*) FROM flow_run r WHERE r.work_queue_id = ? AND ${HOLDS_INFRASTRUCTURE}`).pluck().get(run.work_queue_id) as number;
    if (active >= q.queue_limit) return `Work queue '${q.pool}/${q.queue}' is at its concurrency limit (${q.queue_limit}).`;
  }
  if (q.pool_limit !== null) {
    const active = db
      .prepare(`SELECT count(*) FROM flow_run r JOIN work_queue wq ON wq.id = r.work_queue_id WHERE wq.work_pool_id = ? AND ${HOLDS_INFRASTRUCTURE}`)
      .pluck()
      .get(q.pool_id) as number;
    if (active >= q.pool_limit) return `Work pool '${q.pool}' is at its concurrency limit (${q.pool_limit}).`;
  }
  return null;
}

function workPoolOf(db: Db, workQueueId: string | null): string | null {
  if (!workQueueId) return null;
  return (db.prepare('SELECT work_pool_id FROM work_queue WHERE id = ?').get(workQueueId) as { work_pool_id: string } | undefined)?.work_pool_id ?? null;
}

function snapshotOf(run: FlowRunRow, currentRow: StateRow | undefined): RunSnapshot {
  return {
    id: run.id,
    deploymentId: run.deployment_id,
    infrastructurePid: run.infrastructure_pid,
    runCount: run.run_count,
    empiricalPolicy: fromJson<EmpiricalPolicy>(run.empirical_policy, {}),
    holdsSlot: run.holds_slot === 1,
    state: currentRow ? stateRecordFromRow(currentRow) : null,
    startTime: run.start_time,
    endTime: run.end_time,
    expectedStartTime: run.expected_start_time,
    totalRunTime: run.total_run_time,
  };
}

/**
 * The run row and state row an accepted decision produces: the state with a timestamp unique
 * within the run, the derived fields, the concurrency slot and the claim.
 */
function written(now: number, run: FlowRunRow, snapshot: RunSnapshot, currentRow: StateRow | undefined, decision: Decision, write: ProposedState, options: TransitionOptions): { row: FlowRunRow; state: StateRow } {
  const timestamp = Math.max(now, (currentRow?.timestamp ?? 0) + 1);
  const state: StateRow = {
    id: uuid7(now),
    created: now,
    flow_run_id: run.id,
    type: write.type,
    name: write.name,
    timestamp,
    message: write.message,
    data: write.data === null || write.data === undefined ? null : toJson(write.data),
    state_details: toJson({ ...write.details }),
  };
  const derived = deriveRunFields(snapshot, write, timestamp);
  const nextPolicy: EmpiricalPolicy = { ...(decision.policy ?? snapshot.empiricalPolicy) };
  if (derived.resuming !== undefined) nextPolicy.resuming = derived.resuming;
  const holdsSlot = decision.slot === 'take' ? true : decision.slot === 'release' ? false : run.holds_slot === 1;

  // The claim: a new one when a worker takes the run; kept while its process may still report
  // (active states, and an in-process retry); dropped when the run ends or goes back to the queue.
  let workerId = run.worker_id;
  let claimToken = run.claim_token;
  if (options.claim) {
    workerId = options.claim.workerId;
    claimToken = options.claim.token;
  } else if (options.releaseClaim || isTerminal(write.type) || (write.type === 'SCHEDULED' && nextPolicy.retry_type !== 'in_process')) {
    claimToken = null;
    if (options.releaseClaim && write.type === 'SCHEDULED') nextPolicy.retry_type = 'reschedule';
  }
  const row: FlowRunRow = {
    ...run,
    state_id: state.id,
    state_type: write.type,
    state_name: write.name,
    state_timestamp: timestamp,
    start_time: derived.startTime,
    end_time: derived.endTime,
    run_count: derived.runCount,
    total_run_time: derived.totalRunTime,
    expected_start_time: derived.expectedStartTime,
    next_scheduled_start_time: derived.nextScheduledStartTime,
    empirical_policy: toJson(nextPolicy),
    holds_slot: bit(holdsSlot),
    worker_id: workerId,
    claim_token: claimToken,
    updated: now,
  };
  return { row, state };
}

function insertState(db: Db, state: StateRow): void {
  db.prepare(
    'INSERT INTO flow_run_state (id, created, flow_run_id, type, name, timestamp, message, data, state_details) VALUES (@id, @created, @flow_run_id, @type, @name, @timestamp, @message, @data, @state_details)',
  ).run(state);
}

/**
 * The one code path that changes a run's state: it applies the orchestration rules, writes the
 * resulting state and updates the run's derived fields, slot and claim, all inside the caller's
 * transaction.
 */
export function transition(db: Db, now: number, runId: string, proposed: ProposedState, options: TransitionOptions): TransitionOutcome {
  const run = db.prepare('SELECT * FROM flow_run WHERE id = ?').get(runId) as FlowRunRow | undefined;
  if (!run) throw new NotFoundError('Flow run not found');
  if (options.claimToken !== undefined && options.claimToken !== null && options.claimToken !== run.claim_token) {
    throw new ConflictError(
      `This worker's claim on flow run ${runId} is no longer valid (the run is ${run.state_type ?? 'unknown'}, ` +
        'its lease was lost or it was handed to another worker); the report was not applied.',
    );
  }
  const currentRow = run.state_id ? (db.prepare('SELECT * FROM flow_run_state WHERE id = ?').get(run.state_id) as StateRow | undefined) : undefined;
  const snapshot = snapshotOf(run, currentRow);
  const entering = (proposed.type === 'PENDING' || proposed.type === 'RUNNING') && run.claim_token === null &&
    !['PENDING', 'RUNNING', 'CANCELLING'].includes(run.state_type ?? '');
  const decision = orchestrate(snapshot, proposed, {
    now,
    force: options.force,
    retryType: options.retryType,
    concurrency: concurrencyOf(db, run),
    capacityFull: entering && !options.force ? capacityFull(db, run) : null,
  });
  const workPoolId = workPoolOf(db, run.work_queue_id);
  if (!decision.write) return { decision, state: currentRow ?? null, written: false, run, workPoolId };

  const { row, state } = written(now, run, snapshot, currentRow, decision, decision.write, options);
  insertState(db, state);
  db.prepare(
    `UPDATE flow_run SET state_id = @state_id, state_type = @state_type, state_name = @state_name, state_timestamp = @state_timestamp,
       start_time = @start_time, end_time = @end_time, run_count = @run_count, total_run_time = @total_run_time,
       expected_start_time = @expected_start_time, next_scheduled_start_time = @next_scheduled_start_time,
       empirical_policy = @empirical_policy, holds_slot = @holds_slot, worker_id = @worker_id, claim_token = @claim_token,
       updated = @updated WHERE id = @id`,
  ).run(row);
  return { decision, state, written: true, run: row, workPoolId };
}

/** What a caller sets on a new run; everything else starts at the table's defaults. */
export type NewRun = Pick<FlowRunRow, 'id' | 'created' | 'name' | 'flow_id'> & Partial<FlowRunRow>;

const NEW_RUN_DEFAULTS: Omit<FlowRunRow, 'id' | 'created' | 'updated' | 'name' | 'flow_id'> = {
  deployment_id: null,
  deployment_version: null,
  work_queue_id: null,
  work_queue_name: null,
  flow_version: null,
  parameters: '{}',
  idempotency_key: null,
  context: '{}',
  empirical_policy: '{}',
  tags: '[]',
  labels: '{}',
  parent_task_run_id: null,
  state_id: null,
  state_type: null,
  state_name: null,
  state_timestamp: null,
  run_count: 0,
  expected_start_time: null,
  next_scheduled_start_time: null,
  start_time: null,
  end_time: null,
  total_run_time: 0,
  auto_scheduled: 0,
  infrastructure_pid: null,
  infrastructure_document_id: null,
  created_by: null,
  job_variables: '{}',
  worker_id: null,
  claim_token: null,
  holds_slot: 0,
  schedule_slot: null,
  schedule_id: null,
  schedule_key: '',
};
const COLUMNS = ['id', 'created', 'updated', 'name', 'flow_id', ...Object.keys(NEW_RUN_DEFAULTS)];

/**
 * Creates a run in its first state (forced, as Prefect does for a new run). The row goes in with
 * its state columns already set: one INSERT, where an INSERT and then an UPDATE would move the run
 * through every state and time index twice. Returns null, writing nothing, when a unique key
 * (idempotency key, schedule slot) already has a run.
 */
export function insertRun(db: Db, now: number, fresh: NewRun, proposed: ProposedState): TransitionOutcome | null {
  const run: FlowRunRow = { ...NEW_RUN_DEFAULTS, updated: fresh.created, ...fresh };
  const snapshot = snapshotOf(run, undefined);
  const decision = orchestrate(snapshot, proposed, { now, force: true, retryType: undefined, concurrency: null, capacityFull: null });
  if (!decision.write) throw new Error(`A new run's first state was refused: ${decision.reason}`);
  const { row, state } = written(now, run, snapshot, undefined, decision, decision.write, { force: true });
  const inserted = db
    .prepare(`INSERT INTO flow_run (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')}) ON CONFLICT DO NOTHING`)
    .run(row);
  if (inserted.changes === 0) return null;
  insertState(db, state);
  return { decision, state, written: true, run: row, workPoolId: workPoolOf(db, row.work_queue_id) };
}
