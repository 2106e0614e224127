import { sleep } from '../sdk/attempt.js';
import type { WorkerChannel } from './channel.js';
import type { OrchestrationResult, ProposedState } from './protocol.js';

/** The shortest pause before proposing again after WAIT, however small the server's delay. */
export const MIN_WAIT_MS = 50;

/** Proposes a state, sleeping and proposing again for as long as the server answers WAIT. */
export async function propose(channel: WorkerChannel, state: ProposedState): Promise<OrchestrationResult> {
  for (;;) {
    const result = await channel.proposeState(state);
    if (result.status !== 'WAIT') return result;
    await sleep(Math.max(MIN_WAIT_MS, (result.details.delay_seconds ?? 0) * 1000));
  }
}

/** `ABORT: Run is already in terminal state CANCELLED.`, for the log. */
export function explain(result: OrchestrationResult): string {
  const reason = result.details.reason ?? result.state?.message ?? (result.state ? `the run is ${result.state.type}` : null);
  return reason ? `${result.status}: ${reason}` : result.status;
}

/**
 * When the server turned a Failed proposal into AwaitingRetry, the time (ms) the retry may start;
 * null when the failure stands.
 */
export function retryTime(result: OrchestrationResult, now: number = Date.now()): number | null {
  const state = result.state;
  if (result.status !== 'REJECT' || !state || state.type !== 'SCHEDULED' || state.name !== 'AwaitingRetry') return null;
  const at = state.state_details.scheduled_time ? Date.parse(state.state_details.scheduled_time) : NaN;
  return Number.isNaN(at) ? now : at;
}
