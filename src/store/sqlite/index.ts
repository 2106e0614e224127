import type { Clock } from '../../domain/time.js';
import type { Change, ChangeListener, Store } from '../store.js';
import { Checkpointer } from './checkpointer.js';
import { openDatabase, type Db } from './db.js';
import { SqliteDeployments } from './deployments.js';
import { SqliteFlowRuns } from './flowRuns.js';
import { SqliteFlows } from './flows.js';
import { SqliteLogs } from './logs.js';
import { WriteBatcher } from './writeBatcher.js';
import { SqliteSchedules } from './schedules.js';
import { SqliteWorkers } from './workers.js';
import { SqliteWorkPools } from './workPools.js';
import { SqliteWorkQueues } from './workQueues.js';

/** The SQLite Store: one connection owned by the server process, so writes never contend for locks. */
export class SqliteStore implements Store {
  readonly workPools: SqliteWorkPools;
  readonly workQueues: SqliteWorkQueues;
  readonly workers: SqliteWorkers;
  readonly flows: SqliteFlows;
  readonly deployments: SqliteDeployments;
  readonly flowRuns: SqliteFlowRuns;
  readonly logs: SqliteLogs;
  readonly schedules: SqliteSchedules;
  private readonly listeners = new Set<ChangeListener>();
  private checkpointer: Checkpointer | null = null;

  constructor(
    readonly db: Db,
    readonly clock: Clock,
  ) {
    const emit = (c: Change): void => {
      for (const l of this.listeners) l(c);
    };
    this.workPools = new SqliteWorkPools(db, clock, emit);
    this.workQueues = new SqliteWorkQueues(db, clock, emit);
    this.workers = new SqliteWorkers(db, clock, emit);
    this.flows = new SqliteFlows(db, clock);
    this.deployments = new SqliteDeployments(db, clock, emit);
    const writes = new WriteBatcher(db);
    this.flowRuns = new SqliteFlowRuns(db, clock, emit, writes);
    this.logs = new SqliteLogs(db, clock, emit, writes);
    this.schedules = new SqliteSchedules(db, clock, emit);
  }

  /**
   * Opens the database file. The server passes `backgroundCheckpoints` so WAL checkpoints (page
   * copies and fsyncs) run on a thread of their own instead of inside its commits.
   */
  static open(path: string, clock: Clock, options: { backgroundCheckpoints?: { onError: (message: string) => void } } = {}): SqliteStore {
    const store = new SqliteStore(openDatabase(path), clock);
    if (options.backgroundCheckpoints && path !== ':memory:') store.checkpointer = Checkpointer.start(store.db, path, options.backgroundCheckpoints);
    return store;
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    await this.checkpointer?.stop();
    this.checkpointer = null;
    if (!this.db.open) return;
    // SQLite's advice for long-lived connections: refresh the planner's statistics on the way out,
    // sampling at most a few hundred rows per index so a large history closes quickly.
    try {
      this.db.pragma('analysis_limit = 400');
      this.db.pragma('optimize');
    } finally {
      this.db.close();
    }
  }
}
