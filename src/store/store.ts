import type { WorkPoolFilter, WorkQueueFilter, WorkerFilter } from '../domain/schemas/filters.js';
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
  | { kind: 'worker'; workPoolId: string };

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
  heartbeat(poolName: string, input: WorkerHeartbeat): Promise<Worker>;
  filter(poolName: string, filter: WorkerFilter | undefined, limit: number, offset: number): Promise<Worker[]>;
  delete(poolName: string, workerName: string): Promise<void>;
}
