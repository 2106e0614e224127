import type { CollisionStrategy, Deployment, DeploymentCreate, DeploymentUpdate } from '../domain/schemas/deployments.js';
import type {
  CrossFilters,
  DeploymentSort,
  FlowRunSort,
  LogFilter,
  LogSort,
  WorkPoolFilter,
  WorkQueueFilter,
  WorkerFilter,
} from '../domain/schemas/filters.js';
import type { FlowRun, FlowRunUpdate } from '../domain/schemas/flowRuns.js';
import type { Flow, FlowCreate, FlowUpdate } from '../domain/schemas/flows.js';
import type { Log, LogCreate } from '../domain/schemas/logs.js';
import type { CancellingRun, ClaimedRun, ScheduledRun } from '../domain/schemas/workerRuns.js';
import type { CatchupPolicy, DeploymentSchedule, DeploymentScheduleCreate, DeploymentScheduleUpdate } from '../domain/schedules/schema.js';
import type { OrchestrationResult, SetStateBody, State, StateCreate } from '../domain/schemas/states.js';
import type {
  Worker,
  WorkerHeartbeat,
  WorkPool,
  WorkPoolCreate,
  WorkPoolUpdate,
  WorkQueue,
  WorkQueueCreate,
  WorkQueueStatusDetail,
  WorkQueueUpdate,
} from '../domain/schemas/workPools.js';

/**
 * The persistence contract. Everything the server stores goes through it; the SQLite
 * implementation lives in ./sqlite, and another backend (PostgreSQL) would implement the same
 * interface and pass the same tests. Methods are async so such a backend fits; each method is one
 * transaction. Lookups of a missing object throw NotFoundError.
 */
export interface Store {
  readonly workPools: WorkPoolStore;
  readonly workQueues: WorkQueueStore;
  readonly workers: WorkerStore;
  readonly flows: FlowStore;
  readonly deployments: DeploymentStore;
  readonly flowRuns: FlowRunStore;
  readonly logs: LogStore;
  readonly schedules: ScheduleStore;
  /** Throws if the database cannot answer. */
  ping(): Promise<void>;
  /** Subscribe to committed changes; returns an unsubscribe function. */
  onChange(listener: ChangeListener): () => void;
  close(): Promise<void>;
}

/** What changed, so long-polls and live views can wake without polling the database. */
export type Change =
  | { kind: 'work_pool'; workPoolId: string }
  | { kind: 'work_queue'; workPoolId: string; workQueueId: string }
  | { kind: 'worker'; workPoolId: string }
  | { kind: 'deployment'; deploymentId: string; workPoolId: string | null }
  /** A run was created or changed state (workPoolId null when it has no queue). */
  | { kind: 'flow_run'; flowRunId: string; workPoolId: string | null; stateType: string | null; workerId: string | null }
  | { kind: 'logs'; flowRunIds: string[] };

export type ChangeListener = (change: Change) => void;

export interface WorkPoolStore {
  /** Creates the pool and its `default` queue (priority 1). */
  create(input: WorkPoolCreate): Promise<WorkPool>;
  get(name: string): Promise<WorkPool>;
  getById(id: string): Promise<WorkPool>;
  filter(filter: WorkPoolFilter | undefined, limit: number, offset: number): Promise<WorkPool[]>;
  count(filter: WorkPoolFilter | undefined): Promise<number>;
  update(name: string, patch: WorkPoolUpdate): Promise<void>;
  /** Deletes the pool with its queues and workers. */
  delete(name: string): Promise<void>;
}

export interface WorkQueueStore {
  create(poolName: string, input: WorkQueueCreate): Promise<WorkQueue>;
  get(poolName: string, queueName: string): Promise<WorkQueue>;
  getById(id: string): Promise<WorkQueue>;
  /** Queues with this name in any pool (the legacy name lookup). */
  findByName(name: string): Promise<WorkQueue[]>;
  filter(poolName: string | null, filter: WorkQueueFilter | undefined, limit: number, offset: number): Promise<WorkQueue[]>;
  update(poolName: string, queueName: string, patch: WorkQueueUpdate): Promise<void>;
  /** Refuses the pool's default queue; re-compacts priorities afterwards. */
  delete(poolName: string, queueName: string): Promise<void>;
  /** Prefect's legacy queue health: healthy iff no late runs and polled within 60 s. */
  statusDetail(id: string): Promise<WorkQueueStatusDetail>;
  /** Records that a worker polled these queues (all of the pool's when `queueNames` is empty). */
  markPolled(poolName: string, queueNames: readonly string[]): Promise<void>;
}

export interface WorkerStore {
  get(poolName: string, workerName: string): Promise<Worker>;
  heartbeat(poolName: string, input: WorkerHeartbeat): Promise<Worker>;
  filter(poolName: string, filter: WorkerFilter | undefined, limit: number, offset: number): Promise<Worker[]>;
  delete(poolName: string, workerName: string): Promise<void>;
}

export interface FlowStore {
  /** Upsert by name: `created` says whether the flow is new. */
  upsert(input: FlowCreate): Promise<{ flow: Flow; created: boolean }>;
  get(id: string): Promise<Flow>;
  getByName(name: string): Promise<Flow>;
  filter(filters: CrossFilters, sort: DeploymentSort, limit: number, offset: number): Promise<Flow[]>;
  count(filters: CrossFilters): Promise<number>;
  update(id: string, patch: FlowUpdate): Promise<void>;
  /** Deletes the flow with its deployments and runs. */
  delete(id: string): Promise<void>;
}

export interface DeploymentConcurrencyInfo {
  limit: number;
  strategy: CollisionStrategy;
}

export interface DeploymentStore {
  /** Upsert by (flow, name); resolves (and creates) the work queue and validates dependent fields. */
  upsert(input: DeploymentCreate): Promise<{ deployment: Deployment; created: boolean }>;
  get(id: string): Promise<Deployment>;
  getByName(flowName: string, name: string): Promise<Deployment>;
  filter(filters: CrossFilters, sort: DeploymentSort, limit: number, offset: number): Promise<Deployment[]>;
  count(filters: CrossFilters): Promise<number>;
  /** Changes only the given fields. */
  update(id: string, patch: DeploymentUpdate): Promise<void>;
  /** Pausing also removes the deployment's auto-scheduled runs that have not started. */
  setPaused(id: string, paused: boolean): Promise<void>;
  delete(id: string): Promise<void>;
}

/** A new run as the routes and the scheduler describe it. */
export interface FlowRunWrite {
  flowId: string;
  deploymentId: string | null;
  deploymentVersion: string | null;
  name: string;
  flowVersion: string | null;
  parameters: Record<string, unknown>;
  context: Record<string, unknown>;
  empiricalPolicy: Record<string, unknown>;
  tags: string[];
  labels: Record<string, unknown>;
  idempotencyKey: string | null;
  parentTaskRunId: string | null;
  /** The pool (and queue) the run goes to; null for none. */
  workPoolName: string | null;
  workQueueName: string | null;
  /** Create a named queue missing from the pool (deployment runs) instead of a 404 (ad-hoc runs). */
  createQueue: boolean;
  jobVariables: Record<string, unknown> | null;
  autoScheduled: boolean;
  createdBy: Record<string, unknown> | null;
  /** The schedule slot (ms) of an auto-scheduled run; a slot never gets two runs. */
  scheduleSlot: number | null;
  infrastructureDocumentId: string | null;
  /** The first state, set with force (as Prefect does). */
  state: StateCreate;
}

export interface ClaimOptions {
  workerName: string;
  /** Queue names to claim from; empty for all of the pool's queues. */
  queueNames: readonly string[];
  limit: number;
  /** Only runs due at or before this time (ms). */
  scheduledBefore: number;
}

export interface FlowRunStore {
  create(input: FlowRunWrite): Promise<{ flowRun: FlowRun; created: boolean }>;
  get(id: string): Promise<FlowRun>;
  filter(filters: CrossFilters, sort: FlowRunSort, limit: number, offset: number): Promise<FlowRun[]>;
  count(filters: CrossFilters): Promise<number>;
  update(id: string, patch: FlowRunUpdate): Promise<void>;
  delete(id: string): Promise<void>;
  /** The one path for state changes: orchestration rules, derived fields, slots and claims. */
  setState(id: string, body: SetStateBody): Promise<{ result: OrchestrationResult; written: boolean }>;
  /** All states of a run, oldest first. */
  states(id: string): Promise<State[]>;
  stateById(stateId: string): Promise<State | null>;
  /** Atomically moves due runs to PENDING for a worker, within every concurrency limit. */
  claim(poolName: string, options: ClaimOptions): Promise<ClaimedRun[]>;
  /** Prefect's read-only poll: due runs within the limits, nothing changed but the poll time. */
  scheduled(poolName: string, options: Omit<ClaimOptions, 'workerName'> & { scheduledAfter?: number | undefined }): Promise<ScheduledRun[]>;
  /** When the next claimable run of these queues becomes due (ms), or null. */
  nextDueTime(poolName: string, queueNames: readonly string[]): Promise<number | null>;
  /** Ends the runs of workers whose lease (3 heartbeats) lapsed; returns what changed. */
  reapExpiredLeases(): Promise<{ flowRunId: string; from: string; to: string }[]>;
  /** When the first lease of a worker holding runs lapses (ms), or null. */
  nextLeaseExpiry(): Promise<number | null>;
  /** Forces CANCELLING runs older than the deadline to CANCELLED. */
  timeoutCancelling(timeoutMs: number): Promise<{ flowRunId: string; from: string; to: string }[]>;
  /** Runs held by a worker that are being cancelled. */
  cancelling(poolName: string, workerName: string): Promise<CancellingRun[]>;
}

export interface LogStore {
  /** Stores a batch in one transaction; lines of runs that no longer exist are dropped. Returns the count stored. */
  create(logs: LogCreate[]): Promise<number>;
  filter(filter: LogFilter | undefined, sort: LogSort, limit: number, offset: number): Promise<Log[]>;
}

/** An active schedule whose refill time has come, with what planning its runs depends on. */
export interface DueSchedule {
  id: string;
  deploymentId: string;
  /** The schedule JSON as stored (validated when it was written). */
  schedule: Record<string, unknown>;
  catchup: CatchupPolicy;
  /** At most this many upcoming runs for this schedule (below the scheduler's own maximum); null: no own limit. */
  maxScheduledRuns: number | null;
  slug: string | null;
  /** The schedule's own parameters, which override the deployment's. */
  parameters: Record<string, unknown>;
  /** The next slot that has no run yet; null: plan from now (new, changed or idle schedule). */
  cursor: number | null;
  refillAt: number;
  deploymentPaused: boolean;
  deploymentParameters: Record<string, unknown>;
  parameterSchema: Record<string, unknown> | null;
  enforceParameterSchema: boolean;
  /** Row versions: a fill from this read is refused once either row has changed. */
  updated: number;
  deploymentUpdated: number;
}

/** What one scheduler pass decided for a schedule. */
export interface SchedulePlanWrite {
  /** Slots to create runs for, ascending: missed ones the catch-up policy keeps, then upcoming ones. */
  slots: number[];
  /** The next slot without a run; null when the schedule never fires again. */
  cursor: number | null;
  /** When to look at the schedule again; null for never (until it or its deployment changes). */
  refillAt: number | null;
}

/** A state change the due-runs sweep made. */
export interface DueRunChange {
  flowRunId: string;
  scheduleId: string | null;
  /** The new state name: Late, AwaitingConcurrencySlot or Cancelled (skipped by a catch-up policy). */
  to: string;
  message: string | null;
}

export interface DueRunSweepOptions {
  /** A Scheduled run this long past its time is late (Late, waiting, or skipped by catch-up). */
  lateAfterMs: number;
  /** At most this many waiting runs are looked at per sweep. */
  limit: number;
}

/** Deployment schedules and the runs the scheduler makes for them. */
export interface ScheduleStore {
  /** The deployment's schedules, oldest first. */
  list(deploymentId: string): Promise<DeploymentSchedule[]>;
  /** Adds schedules; a slug already used in the deployment is a ConflictError. */
  create(deploymentId: string, inputs: readonly DeploymentScheduleCreate[]): Promise<DeploymentSchedule[]>;
  /** Changes the given fields; the schedule's runs that have not started and are still to come are replaced. */
  update(deploymentId: string, scheduleId: string, patch: DeploymentScheduleUpdate): Promise<void>;
  /** Deletes the schedule and its runs that never started. */
  delete(deploymentId: string, scheduleId: string): Promise<void>;
  /** Active schedules whose refill time is at or before `now`, most overdue first. */
  due(now: number, limit: number): Promise<DueSchedule[]>;
  /**
   * Creates a plan's runs (a slot that already has its run is skipped) and moves the cursor, in one
   * transaction that first checks nothing changed since `due` read the schedule; `applied` is false
   * (and nothing is written) when something did.
   */
  fill(due: DueSchedule, plan: SchedulePlanWrite): Promise<{ applied: boolean; created: number }>;
  /** Leaves a schedule alone until it or its deployment changes, recording why (null: no error). */
  park(due: DueSchedule, error: string | null): Promise<void>;
  /** Plans every schedule of the deployment afresh from now (after the deployment changed). */
  reset(deploymentId: string): Promise<void>;
  /**
   * Late runs and catch-up: waiting runs past their time become Late, or AwaitingConcurrencySlot
   * when a concurrency limit holds them; runs a schedule's catch-up policy drops are cancelled.
   */
  sweepDueRuns(options: DueRunSweepOptions): Promise<DueRunChange[]>;
}
