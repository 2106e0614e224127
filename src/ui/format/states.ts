import { isTerminal, STATE_TYPES, type StateType } from '../../domain/states.js';

export { isTerminal, STATE_TYPES };
export type { StateType };

/** "CANCELLING" → "Cancelling" (for state types shown without a state name). */
export function stateLabel(type: string): string {
  return type.charAt(0) + type.slice(1).toLowerCase();
}

/** Runs a user can cancel: not yet finished and not already being cancelled. */
export function canCancel(type: StateType | null): boolean {
  return type !== null && !isTerminal(type) && type !== 'CANCELLING';
}

/** Runs still doing something: their logs may still grow. */
export function isActive(type: StateType | null): boolean {
  return type !== null && !isTerminal(type);
}
