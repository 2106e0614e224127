import type { FastifyBaseLogger } from 'fastify';
import type { Store } from '../../store/store.js';
import { every, type ServiceLoop } from './loop.js';
import type { ServiceLog } from './scheduler.js';

export interface LateRunSettings {
  /** A Scheduled run this long past its time is Late (Prefect: 15 s). */
  lateAfterSeconds: number;
  loopMs: number;
}

/** Waiting runs looked at per pass (Prefect's batch); the rest follow in the next pass. */
export const LATE_RUNS_BATCH = 400;

/** One pass of the late-runs sweep, with catch-up (see store/sqlite/dueRuns.ts); logs what it dropped. */
export async function markLateRuns(store: Store, settings: Pick<LateRunSettings, 'lateAfterSeconds'>, log: ServiceLog): Promise<number> {
  const changes = await store.schedules.sweepDueRuns({ lateAfterMs: settings.lateAfterSeconds * 1000, limit: LATE_RUNS_BATCH });
  const skipped = changes.filter((c) => c.to === 'Cancelled');
  if (skipped.length > 0) {
    log.info(`Skipped ${skipped.length} missed scheduled run(s) by their schedules' catch-up policy: ${skipped.map((c) => c.flowRunId).join(', ')}.`);
  }
  return changes.length;
}

/**
 * Marks runs Late, waiting or skipped as they pass their time. The sweep reads only runs still
 * named "Scheduled" that are due (an index of exactly those), and moves each one out of that set,
 * so a pass never rereads the same late runs.
 */
export function startLateRuns(store: Store, settings: LateRunSettings, log: ServiceLog): ServiceLoop {
  // every() only reports failures through log.error, which a ServiceLog has.
  return every('late runs', settings.loopMs, () => markLateRuns(store, settings, log), log as FastifyBaseLogger);
}
