import type { FastifyBaseLogger } from 'fastify';
import { systemClock, type Clock } from '../../domain/time.js';
import type { Store } from '../../store/store.js';
import { markLateRuns, startLateRuns } from './lateRuns.js';
import { every, type ServiceLoop } from './loop.js';
import { Scheduler, type SchedulerSettings } from './scheduler.js';

export interface ServiceSettings {
  /** CANCELLING runs older than this are forced to CANCELLED. */
  cancellingTimeoutSeconds: number;
  /** A Scheduled run this many seconds past its time is marked Late (default 15). */
  lateRunsAfterSeconds?: number;
  /** The scheduler's limits (defaults: Prefect's, see DEFAULT_SCHEDULER). */
  scheduler?: Partial<SchedulerSettings>;
}

/** Prefect's scheduler defaults: at least 3 runs and 1 hour ahead, at most 100 runs and 100 days. */
export const DEFAULT_SCHEDULER: SchedulerSettings = {
  minRuns: 3,
  maxRuns: 100,
  minTimeMs: 3_600_000,
  maxTimeMs: 100 * 86_400_000,
  catchupWindowMs: 7 * 86_400_000,
  loopMs: 1_000,
};

const DEFAULT_LATE_AFTER_SECONDS = 15;

function schedulerSettings(settings: ServiceSettings): SchedulerSettings {
  return { ...DEFAULT_SCHEDULER, ...settings.scheduler };
}

/**
 * Creates the runs of missed and upcoming slots and settles the runs missed while the server was
 * down, before the server takes requests: a worker reconnecting at start-up must find only what
 * the catch-up policies keep.
 */
export async function catchUp(store: Store, settings: ServiceSettings, log: FastifyBaseLogger, clock: Clock = systemClock): Promise<void> {
  const scheduler = new Scheduler(store, clock, schedulerSettings(settings), log);
  try {
    await scheduler.tick();
  } finally {
    scheduler.close();
  }
  await markLateRuns(store, { lateAfterSeconds: settings.lateRunsAfterSeconds ?? DEFAULT_LATE_AFTER_SECONDS }, log);
}

/**
 * The server's background services. Each does work in proportion to what is due: the reaper's
 * query only touches runs of workers whose lease lapsed, the scheduler only schedules whose refill
 * time has come, the late-runs sweep only runs still named Scheduled that are due.
 */
export function startServices(store: Store, settings: ServiceSettings, log: FastifyBaseLogger, clock: Clock = systemClock): ServiceLoop {
  const loops = [
    // Wakes when the first lease lapses (at most a second apart), so a dead worker's runs are
    // crashed within 3 heartbeat intervals, not 3 intervals plus a polling period.
    every('lease reaper', async () => Math.min(1_000, Math.max(20, ((await store.flowRuns.nextLeaseExpiry()) ?? Infinity) - clock.now() + 5)), async () => {
      for (const r of await store.flowRuns.reapExpiredLeases()) log.warn(`Flow run ${r.flowRunId}: its worker's lease lapsed (${r.from} → ${r.to}).`);
    }, log),
    every('cancellation timeout', 5_000, async () => {
      for (const r of await store.flowRuns.timeoutCancelling(settings.cancellingTimeoutSeconds * 1000)) log.warn(`Flow run ${r.flowRunId}: cancellation timed out; marked Cancelled.`);
    }, log),
    new Scheduler(store, clock, schedulerSettings(settings), log).start(),
    startLateRuns(store, { lateAfterSeconds: settings.lateRunsAfterSeconds ?? DEFAULT_LATE_AFTER_SECONDS, loopMs: 1_000 }, log),
  ];
  return { stop: async () => void (await Promise.all(loops.map((l) => l.stop()))) };
}
