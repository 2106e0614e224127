/**
 * Statuses are derived at read time from heartbeats and polls (never stored), so they cannot drift
 * from what workers are actually doing (Prefect users see queues stuck "Not Ready" while the
 * worker runs jobs: user-needs A4).
 */
export const DEFAULT_HEARTBEAT_SECONDS = 30;
export const HEARTBEAT_MISSES_OFFLINE = 3;
export const QUEUE_POLL_READY_SECONDS = 60;

export function workerOnlineSince(now: number, intervalSeconds: number | null): number {
  return now - (intervalSeconds ?? DEFAULT_HEARTBEAT_SECONDS) * HEARTBEAT_MISSES_OFFLINE * 1000;
}

export function workerStatus(now: number, lastHeartbeat: number | null, intervalSeconds: number | null): 'ONLINE' | 'OFFLINE' {
  return lastHeartbeat !== null && lastHeartbeat > workerOnlineSince(now, intervalSeconds) ? 'ONLINE' : 'OFFLINE';
}

export function poolStatus(isPaused: boolean, onlineWorkers: number): 'READY' | 'NOT_READY' | 'PAUSED' {
  if (isPaused) return 'PAUSED';
  return onlineWorkers > 0 ? 'READY' : 'NOT_READY';
}

export function queueStatus(now: number, isPaused: boolean, lastPolled: number | null): 'READY' | 'NOT_READY' | 'PAUSED' {
  if (isPaused) return 'PAUSED';
  return lastPolled !== null && lastPolled > now - QUEUE_POLL_READY_SECONDS * 1000 ? 'READY' : 'NOT_READY';
}
