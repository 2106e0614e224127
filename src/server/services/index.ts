import type { FastifyBaseLogger } from 'fastify';
import type { Store } from '../../store/store.js';
import { every, type ServiceLoop } from './loop.js';

export interface ServiceSettings {
  /** CANCELLING runs older than this are forced to CANCELLED. */
  cancellingTimeoutSeconds: number;
}

/**
 * The server's background services. Each does work in proportion to what is due: the reaper's
 * query only touches runs of workers whose lease lapsed.
 */
export function startServices(store: Store, settings: ServiceSettings, log: FastifyBaseLogger): ServiceLoop {
  const loops = [
    every('lease reaper', 1_000, async () => {
      for (const r of await store.flowRuns.reapExpiredLeases()) log.warn(`Flow run ${r.flowRunId}: its worker's lease lapsed (${r.from} → ${r.to}).`);
    }, log),
    every('cancellation timeout', 5_000, async () => {
      for (const r of await store.flowRuns.timeoutCancelling(settings.cancellingTimeoutSeconds * 1000)) log.warn(`Flow run ${r.flowRunId}: cancellation timed out; marked Cancelled.`);
    }, log),
  ];
  return { stop: async () => void (await Promise.all(loops.map((l) => l.stop()))) };
}
