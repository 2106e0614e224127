import { parseIsoDateTime } from '../schemas/common.js';
import type { ProposedState, StateRecord } from './types.js';

/** A state's `state_details.scheduled_time` in ms, or null. */
export function scheduledTime(state: Pick<StateRecord | ProposedState, 'details'> | null): number | null {
  const raw = state?.details.scheduled_time;
  if (typeof raw === 'number') return raw;
  if (typeof raw !== 'string') return null;
  return parseIsoDateTime(raw);
}
