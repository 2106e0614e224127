import { randomUUID } from 'node:crypto';
import { NotFoundError } from '../../domain/errors.js';
import { uuid7 } from '../../domain/ids.js';
import type { FlowRun } from '../../domain/schemas/flowRuns.js';
import type { Clock } from '../../domain/time.js';
import { QUEUE_POLL_READY_SECONDS } from '../../domain/status.js';
import type { ClaimedRun, ScheduledRun } from '../../domain/schemas/workerRuns.js';
import type { Change, ClaimOptions } from '../store.js';
import type { Db } from './db.js';
import { DEPLOYMENT_SELECT, deploymentFromRow, SCHEDULE_SELECT, type DeploymentRow, type ScheduleRow } from './deploymentRows.js';
import { HOLDS_INFRASTRUCTURE } from './activeRuns.js';
import { scheduleActiveCount } from './scheduleActive.js';
import { transition, type TransitionOutcome } from './transition.js';

interface QueueSlots {
  id: string;
  name: string;
  priority: number;
  /** Runs this queue may still start (Infinity without a limit). */
  free: number;
}

interface Candidate {
  id: string;
  work_queue_id: string;
  deployment_id: string | null;
  schedule_id: string | null;
}

/**
 * Due, unclaimed runs of a queue (`r`) that no concurrency limit of their own holds back: their
 * deployment's limit, and the max_active_runs of the schedule that made them. Filtered in SQL, so
 * held runs never hide runs behind them (user-needs A5).
 */
const CLAIMABLE = `FROM flow_run r
  LEFT JOIN deployment d ON d.id = r.deployment_id
  LEFT JOIN deployment_schedule s ON s.id = r.schedule_id
  WHERE r.work_queue_id = ? AND r.state_type = 'SCHEDULED' AND r.claim_token IS NULL
    AND (d.concurrency_limit IS NULL OR
         (SELECT count(*) FROM flow_run x WHERE x.deployment_id = r.deployment_id AND x.holds_slot = 1) < d.concurrency_limit)
    AND (s.max_active_runs IS NULL OR ${scheduleActiveCount('s.id')} < s.max_active_runs)`;

/**
 * Handing runs to workers. Everything happens in one synchronous transaction on the server's
 * single connection, so two workers can never get the same run and no limit (pool, queue,
 * deployment) is exceeded, whatever the number of concurrent claims.
 */
export class FlowRunClaims {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly views: (ids: readonly string[]) => FlowRun[],
    private readonly notify: (outcome: TransitionOutcome) => void,
    private readonly emit: (change: Change) => void,
  ) {}

  private announceReady(turned: { poolId: string; queues: string[] } | null): void {
    for (const id of turned?.queues ?? []) this.emit({ kind: 'work_queue', workPoolId: turned?.poolId ?? '', workQueueId: id });
  }

  private pool(poolName: string): { id: string; is_paused: number; concurrency_limit: number | null } {
    const pool = this.db.prepare('SELECT id, is_paused, concurrency_limit FROM work_pool WHERE name = ?').get(poolName) as
      | { id: string; is_paused: number; concurrency_limit: number | null }
      | undefined;
    if (!pool) throw new NotFoundError(`Work pool "${poolName}" not found.`);
    return pool;
  }

  /** The pool's unpaused queues (the named ones, all if none named) with their free slots, by priority. */
  private queues(poolId: string, poolName: string, names: readonly string[]): QueueSlots[] {
    const rows = this.db
      .prepare(
        `SELECT q.id, q.name, q.priority, q.is_paused, q.concurrency_limit,
           (SELECT count(*) FROM flow_run r WHERE r.work_queue_id = q.id AND ${HOLDS_INFRASTRUCTURE}) AS active
         FROM work_queue q WHERE q.work_pool_id = ? ORDER BY q.priority`,
      )
      .all(poolId) as { id: string; name: string; priority: number; is_paused: number; concurrency_limit: number | null; active: number }[];
    if (names.length > 0) {
      const known = new Set(rows.map((r) => r.name));
      const missing = names.filter((n) => !known.has(n));
      if (missing.length > 0) throw new NotFoundError(`Work pool queue '${poolName}/${missing[0]}' not found.`);
    }
    const wanted = names.length > 0 ? new Set(names) : null;
    return rows
      .filter((r) => r.is_paused === 0 && (!wanted || wanted.has(r.name)))
      .map((r) => ({ id: r.id, name: r.name, priority: r.priority, free: r.concurrency_limit === null ? Infinity : Math.max(0, r.concurrency_limit - r.active) }));
  }

  private poolFree(poolId: string, limit: number | null): number {
    if (limit === null) return Infinity;
    const active = this.db
      .prepare(`SELECT count(*) FROM flow_run r JOIN work_queue q ON q.id = r.work_queue_id WHERE q.work_pool_id = ? AND ${HOLDS_INFRASTRUCTURE}`)
      .pluck()
      .get(poolId) as number;
    return Math.max(0, limit - active);
  }

  /** Claimable runs of one queue in time order. */
  private candidates(queueId: string, before: number, after: number | null, limit: number): Candidate[] {
    return this.db
      .prepare(
        `SELECT r.id, r.work_queue_id, r.deployment_id, r.schedule_id ${CLAIMABLE}
           AND r.next_scheduled_start_time <= ? ${after === null ? '' : 'AND r.next_scheduled_start_time >= ?'}
         ORDER BY r.next_scheduled_start_time, r.id
         LIMIT ?`,
      )
      .all(...(after === null ? [queueId, before, limit] : [queueId, before, after, limit])) as Candidate[];
  }

  /** Runs the schedule may still start (Infinity without max_active_runs), counting this claim's picks. */
  private scheduleFree(scheduleId: string, cache: Map<string, number>): number {
    const cached = cache.get(scheduleId);
    if (cached !== undefined) return cached;
    const row = this.db
      .prepare(`SELECT s.max_active_runs AS max, ${scheduleActiveCount('s.id')} AS active FROM deployment_schedule s WHERE s.id = ?`)
      .get(scheduleId) as { max: number | null; active: number } | undefined;
    const free = !row || row.max === null ? Infinity : Math.max(0, row.max - row.active);
    cache.set(scheduleId, free);
    return free;
  }

  private deploymentFree(deploymentId: string, cache: Map<string, number>): number {
    const cached = cache.get(deploymentId);
    if (cached !== undefined) return cached;
    const row = this.db
      .prepare('SELECT concurrency_limit, (SELECT count(*) FROM flow_run x WHERE x.deployment_id = d.id AND x.holds_slot = 1) AS held FROM deployment d WHERE d.id = ?')
      .get(deploymentId) as { concurrency_limit: number | null; held: number } | undefined;
    const free = !row || row.concurrency_limit === null ? Infinity : Math.max(0, row.concurrency_limit - row.held);
    cache.set(deploymentId, free);
    return free;
  }

  /**
   * Records a poll: queues and their deployments turn READY. Returns the queues that were not
   * ready before this poll, so live views can be told about the change.
   */
  private markPolled(queues: QueueSlots[], now: number): string[] {
    const lastPolled = this.db.prepare('SELECT last_polled FROM work_queue WHERE id = ?').pluck();
    const setQueue = this.db.prepare('UPDATE work_queue SET last_polled = ? WHERE id = ?');
    const setDeployments = this.db.prepare('UPDATE deployment SET last_polled = ? WHERE work_queue_id = ?');
    const turnedReady: string[] = [];
    for (const q of queues) {
      const before = lastPolled.get(q.id) as number | null;
      if (before === null || before <= now - QUEUE_POLL_READY_SECONDS * 1000) turnedReady.push(q.id);
      setQueue.run(now, q.id);
      setDeployments.run(now, q.id);
    }
    return turnedReady;
  }

  /** Picks runs within every limit, queue priority first, then time; calls `take` for each. */
  private pick(queues: QueueSlots[], poolFree: number, limit: number, before: number, after: number | null, take: (c: Candidate) => boolean): void {
    let remaining = Math.min(limit, poolFree);
    const deploymentSlots = new Map<string, number>();
    const scheduleSlots = new Map<string, number>();
    for (const queue of queues) {
      if (remaining <= 0) break;
      let queueFree = queue.free;
      if (queueFree <= 0) continue;
      // Fetch a little more than needed: some candidates may lose their deployment slot to an
      // earlier pick in this same claim.
      for (const c of this.candidates(queue.id, before, after, Math.min(remaining, queueFree) * 2 + 10)) {
        if (remaining <= 0 || queueFree <= 0) break;
        if (c.deployment_id && this.deploymentFree(c.deployment_id, deploymentSlots) <= 0) continue;
        if (c.schedule_id && this.scheduleFree(c.schedule_id, scheduleSlots) <= 0) continue;
        if (!take(c)) continue;
        remaining--;
        queueFree--;
        if (c.deployment_id) deploymentSlots.set(c.deployment_id, this.deploymentFree(c.deployment_id, deploymentSlots) - 1);
        if (c.schedule_id) scheduleSlots.set(c.schedule_id, this.scheduleFree(c.schedule_id, scheduleSlots) - 1);
      }
    }
  }

  async claim(poolName: string, options: ClaimOptions): Promise<ClaimedRun[]> {
    const now = this.clock.now();
    const claimed: { id: string; token: string; queueId: string; poolId: string }[] = [];
    const outcomes: TransitionOutcome[] = [];
    let turnedReady: { poolId: string; queues: string[] } | null = null;
    this.db
      .transaction(() => {
        const pool = this.pool(poolName);
        const queues = this.queues(pool.id, poolName, options.queueNames);
        turnedReady = { poolId: pool.id, queues: this.markPolled(queues, now) };
        // A claim is also a sign of life: the worker is registered (or refreshed) by it.
        const workerId = this.touchWorker(pool.id, options.workerName, now);
        if (pool.is_paused === 1 || options.limit <= 0) return;
        this.pick(queues, this.poolFree(pool.id, pool.concurrency_limit), options.limit, options.scheduledBefore, null, (c) => {
          const token = randomUUID();
          const outcome = transition(
            this.db,
            now,
            c.id,
            { type: 'PENDING', name: 'Pending', message: null, data: null, details: {} },
            { force: false, claim: { workerId, token } },
          );
          outcomes.push(outcome);
          if (outcome.decision.status !== 'ACCEPT') return false;
          claimed.push({ id: c.id, token, queueId: c.work_queue_id, poolId: pool.id });
          return true;
        });
      })
      .immediate();
    for (const o of outcomes) this.notify(o);
    this.announceReady(turnedReady);
    const runs = this.views(claimed.map((c) => c.id));
    const deployments = this.deployments(runs.map((r) => r.deployment_id).filter((d): d is string => d !== null));
    return claimed.map((c, i) => {
      const flowRun = runs[i] as FlowRun;
      return {
        work_pool_id: c.poolId,
        work_queue_id: c.queueId,
        flow_run: flowRun,
        deployment: flowRun.deployment_id ? (deployments.get(flowRun.deployment_id) ?? null) : null,
        claim_token: c.token,
      };
    });
  }

  private touchWorker(poolId: string, name: string, now: number): string {
    const row = this.db
      .prepare(
        `INSERT INTO worker (id, created, updated, work_pool_id, name, last_heartbeat_time) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (work_pool_id, name) DO UPDATE SET last_heartbeat_time = excluded.last_heartbeat_time, updated = excluded.updated
         RETURNING id`,
      )
      .get(uuid7(now), now, now, poolId, name, now) as { id: string };
    return row.id;
  }

  private deployments(ids: string[]): Map<string, ReturnType<typeof deploymentFromRow>> {
    const unique = [...new Set(ids)];
    const out = new Map<string, ReturnType<typeof deploymentFromRow>>();
    if (unique.length === 0) return out;
    const marks = unique.map(() => '?').join(', ');
    const rows = this.db.prepare(`${DEPLOYMENT_SELECT} WHERE d.id IN (${marks})`).all(...unique) as DeploymentRow[];
    const now = this.clock.now();
    const schedules = this.db.prepare(`${SCHEDULE_SELECT} WHERE s.deployment_id IN (${marks}) ORDER BY s.created, s.id`).all(now, ...unique) as ScheduleRow[];
    for (const row of rows) out.set(row.id, deploymentFromRow(row, schedules.filter((s) => s.deployment_id === row.id), now));
    return out;
  }

  async scheduled(
    poolName: string,
    options: Omit<ClaimOptions, 'workerName'> & { scheduledAfter?: number | undefined },
  ): Promise<ScheduledRun[]> {
    const now = this.clock.now();
    const picked: { id: string; queueId: string; poolId: string }[] = [];
    let turnedReady: { poolId: string; queues: string[] } | null = null;
    this.db
      .transaction(() => {
        const pool = this.pool(poolName);
        const queues = this.queues(pool.id, poolName, options.queueNames);
        turnedReady = { poolId: pool.id, queues: this.markPolled(queues, now) };
        if (pool.is_paused === 1) return;
        this.pick(queues, this.poolFree(pool.id, pool.concurrency_limit), options.limit, options.scheduledBefore, options.scheduledAfter ?? null, (c) => {
          picked.push({ id: c.id, queueId: c.work_queue_id, poolId: pool.id });
          return true;
        });
      })
      .immediate();
    this.announceReady(turnedReady);
    const runs = this.views(picked.map((p) => p.id));
    return picked.map((p, i) => ({ work_pool_id: p.poolId, work_queue_id: p.queueId, flow_run: runs[i] as FlowRun }));
  }

  async nextDueTime(poolName: string, queueNames: readonly string[]): Promise<number | null> {
    const pool = this.pool(poolName);
    if (pool.is_paused === 1) return null;
    const queues = this.queues(pool.id, poolName, queueNames).filter((q) => q.free > 0);
    let next: number | null = null;
    // Held runs are skipped: a due run that cannot be claimed would wake long-polls in a loop.
    const stmt = this.db.prepare(`SELECT r.next_scheduled_start_time ${CLAIMABLE} ORDER BY r.next_scheduled_start_time LIMIT 1`);
    for (const q of queues) {
      const t = (stmt.pluck().get(q.id) as number | undefined) ?? null;
      if (t !== null && (next === null || t < next)) next = t;
    }
    return next;
  }

  async cancelling(poolName: string, workerName: string): Promise<{ flow_run_id: string; claim_token: string | null }[]> {
    const pool = this.pool(poolName);
    return this.db
      .prepare(
        `SELECT r.id AS flow_run_id, r.claim_token FROM flow_run r JOIN worker w ON w.id = r.worker_id
         WHERE w.work_pool_id = ? AND w.name = ? AND r.state_type = 'CANCELLING'`,
      )
      .all(pool.id, workerName) as { flow_run_id: string; claim_token: string | null }[];
  }
}
