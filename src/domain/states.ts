/** Run state types, declared once: this list feeds the TypeScript type, the zod enum and the SQL CHECK. */
export const STATE_TYPES = [
  'SCHEDULED',
  'PENDING',
  'RUNNING',
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'CRASHED',
  'PAUSED',
  'CANCELLING',
] as const;
export type StateType = (typeof STATE_TYPES)[number];

export const TERMINAL_STATE_TYPES: readonly StateType[] = ['COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED'];

export function isTerminal(type: StateType | null | undefined): boolean {
  return type !== null && type !== undefined && TERMINAL_STATE_TYPES.includes(type);
}

/** State types whose runs hold infrastructure (and therefore concurrency slots). */
export const ACTIVE_STATE_TYPES: readonly StateType[] = ['PENDING', 'RUNNING', 'CANCELLING'];

/** Well-known state names (Prefect §2.8). */
export const STATE_NAMES = {
  scheduled: 'Scheduled',
  late: 'Late',
  awaitingRetry: 'AwaitingRetry',
  awaitingConcurrencySlot: 'AwaitingConcurrencySlot',
  pending: 'Pending',
  running: 'Running',
  retrying: 'Retrying',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
  crashed: 'Crashed',
  cancelling: 'Cancelling',
  paused: 'Paused',
} as const;

/** A state's default name is its type in Title Case ("RUNNING" → "Running"). */
export function defaultStateName(type: StateType): string {
  return type.charAt(0) + type.slice(1).toLowerCase();
}

export const RETRY_TYPES = ['in_process', 'reschedule'] as const;
export type RetryType = (typeof RETRY_TYPES)[number];
