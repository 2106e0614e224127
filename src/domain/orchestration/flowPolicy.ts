import type { EmpiricalPolicy, StateCreate } from '../schemas/states.js';
import { ACTIVE_STATE_TYPES, defaultStateName, isTerminal, STATE_NAMES, type StateType } from '../states.js';
import { toIso } from '../time.js';
import { scheduledTime } from './stateTimes.js';
import {
  CONCURRENCY_SLOT_WAIT_SECONDS,
  type Decision,
  type OrchestrationContext,
  type ProposedState,
  type RunSnapshot,
} from './types.js';

/**
 * The flow-run orchestration rules: Prefect's CoreFlowPolicy (§2.9) for normal proposals and its
 * MinimalFlowPolicy for `force`, with baton's stricter terminal guard (a terminal state can only
 * be left by an explicit reschedule, so a stale report can never overwrite it) and crash retries.
 * Pure: the store applies the decision and the derived fields in the same transaction.
 */

/** Fills the defaults Prefect's StateCreate applies: name from type, SCHEDULED at now. */
export function normalizeProposal(state: StateCreate, now: number): ProposedState {
  const details: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(state.state_details)) {
    // Times arrive parsed to ms; states keep the API's ISO form.
    details[key] = typeof value === 'number' && /_time$|_expiration$|pause_timeout/.test(key) ? toIso(value) : value;
  }
  if (state.type === 'SCHEDULED' && (details.scheduled_time === undefined || details.scheduled_time === null)) {
    details.scheduled_time = toIso(now);
  }
  return {
    type: state.type,
    name: state.name ?? defaultStateName(state.type),
    message: state.message ?? null,
    data: state.data ?? null,
    details,
  };
}

const isActive = (type: StateType | undefined): boolean => type !== undefined && ACTIVE_STATE_TYPES.includes(type);

function scheduledState(name: string, at: number, message: string | null): ProposedState {
  return { type: 'SCHEDULED', name, message, data: null, details: { scheduled_time: toIso(at) } };
}

function cancelledState(message: string): ProposedState {
  return { type: 'CANCELLED', name: STATE_NAMES.cancelled, message, data: null, details: {} };
}

export function orchestrate(run: RunSnapshot, proposed: ProposedState, ctx: OrchestrationContext): Decision {
  const initial = run.state;
  let policy: EmpiricalPolicy | null = null;
  let slot: Decision['slot'] = null;

  const finish = (status: 'ACCEPT' | 'REJECT', write: ProposedState | null, reason: string | null): Decision => {
    // Leaving the active states (to a terminal, scheduled or paused state) frees the run's slot.
    if (write && run.holdsSlot && slot !== 'take' && !isActive(write.type)) slot = 'release';
    if (!write) slot = null;
    return { status, reason, write, policy, slot };
  };
  const abort = (reason: string): Decision => ({ status: 'ABORT', reason, write: null, policy: null, slot: null });
  const reject = (replacement: ProposedState | null, reason: string): Decision => finish('REJECT', replacement, reason);

  // Both policies: a run with no infrastructure yet is cancelled at once instead of waiting for a
  // worker that will never come.
  if (proposed.type === 'CANCELLING' && initial) {
    const unstarted = (initial.type === 'SCHEDULED' && !run.infrastructurePid) || initial.name === 'Resuming';
    const suspended = initial.type === 'PAUSED' && initial.details.pause_reschedule === true;
    if (unstarted || suspended) {
      return reject(cancelledState(proposed.message ?? 'The flow run was cancelled before it started.'), 'The run had not started: it is cancelled at once.');
    }
  }

  if (ctx.force) return finish('ACCEPT', proposed, null);

  // PreventDuplicateTransitions: a client retrying the same transition gets the current state back.
  const proposedTransition = proposed.details.transition_id;
  if (proposedTransition != null && initial?.details.transition_id === proposedTransition) {
    return reject(null, 'This run has already made this state transition.');
  }

  // Terminal states are final; the only way out is an explicit reschedule of a deployment's run.
  if (initial && isTerminal(initial.type)) {
    if (proposed.type !== 'SCHEDULED') return abort(`Run is already in terminal state ${initial.type}.`);
    if (!run.deploymentId) return abort('Cannot reschedule a run without an associated deployment.');
    policy = { ...run.empiricalPolicy, resuming: false, pause_keys: [], retry_type: 'reschedule' };
  }

  if (initial?.type === 'CANCELLING' && proposed.type !== 'CANCELLED') {
    return reject(null, 'Cannot transition flows that are cancelling to a state other than cancelled.');
  }

  // PreventPendingTransitions: the duplicate-submission guard between workers.
  if (proposed.type === 'PENDING' && initial && ['PENDING', 'CANCELLING', 'RUNNING', 'CANCELLED'].includes(initial.type)) {
    const subStateRename = initial.type === 'PENDING' && proposed.name !== initial.name && proposed.name !== STATE_NAMES.pending;
    if (!subStateRename) return abort(`This run is in a ${initial.type} state and cannot transition to a PENDING state.`);
  }

  // Work pool and queue limits hold on every path, including Prefect workers that read runs
  // and then propose PENDING: a run that would exceed one is not started.
  if (ctx.capacityFull && (proposed.type === 'PENDING' || proposed.type === 'RUNNING') && !isActive(initial?.type)) {
    return abort(ctx.capacityFull);
  }

  // Deployment concurrency: a slot is taken on the way to PENDING (or RUNNING, for runs that
  // skipped PENDING); a full deployment queues or cancels the newcomer.
  const entering = (proposed.type === 'PENDING' && !isActive(initial?.type)) || (proposed.type === 'RUNNING' && !run.holdsSlot);
  if (ctx.concurrency && !run.holdsSlot && entering) {
    const { limit, strategy, heldByOthers } = ctx.concurrency;
    if (limit <= 0) return abort('The deployment concurrency limit is 0.');
    if (heldByOthers < limit) {
      slot = 'take';
    } else if (strategy === 'CANCEL_NEW') {
      return reject(cancelledState('Deployment concurrency limit reached.'), 'Deployment concurrency limit reached.');
    } else {
      return reject(
        scheduledState(STATE_NAMES.awaitingConcurrencySlot, ctx.now + CONCURRENCY_SLOT_WAIT_SECONDS * 1000, 'Deployment concurrency limit reached.'),
        'Deployment concurrency limit reached; the run waits for a slot.',
      );
    }
  }

  // Late is only for runs still waiting under the plain "Scheduled" name.
  if (proposed.type === 'SCHEDULED' && proposed.name === STATE_NAMES.late) {
    if (initial?.type !== 'SCHEDULED' || initial.name !== STATE_NAMES.scheduled) {
      return reject(null, 'Only runs in the Scheduled state can be marked Late.');
    }
  }

  if (proposed.type === 'PAUSED') {
    if (!initial) return abort('Cannot pause a run that has no state.');
    if (initial.type !== 'RUNNING') return reject(null, 'Cannot pause flows that are not currently running.');
  }
  if (initial?.type === 'PAUSED' && !['RUNNING', 'SCHEDULED'].includes(proposed.type) && !isTerminal(proposed.type)) {
    return reject(null, 'Cannot transition a paused run to this state.');
  }

  // CopyScheduledTime: the pending state remembers when the run was due.
  if (initial?.type === 'SCHEDULED' && proposed.type === 'PENDING' && proposed.details.scheduled_time == null) {
    proposed = { ...proposed, details: { ...proposed.details, scheduled_time: initial.details.scheduled_time ?? null } };
  }

  // WaitForScheduledTime: a run cannot start before it is due.
  if (proposed.type === 'RUNNING' && initial && (initial.type === 'SCHEDULED' || initial.type === 'PENDING')) {
    const due = scheduledTime(initial);
    if (due !== null && due > ctx.now) {
      const delaySeconds = Math.ceil((due - ctx.now) / 1000);
      return { status: 'WAIT', reason: `The flow is scheduled to start in ${delaySeconds}s.`, delaySeconds, write: null, policy: null, slot: null };
    }
  }

  // Retries: a failure while running, or a crash, with attempts left becomes AwaitingRetry. (A
  // failure before RUNNING is a setup error, such as a missing entrypoint: retrying cannot help.)
  const retriable =
    (proposed.type === 'FAILED' && initial?.type === 'RUNNING') ||
    (proposed.type === 'CRASHED' && (initial?.type === 'RUNNING' || initial?.type === 'PENDING'));
  if (retriable) {
    const retries = run.empiricalPolicy.retries ?? 0;
    if (retries > 0 && run.runCount <= retries) {
      const delay = (run.empiricalPolicy.retry_delay ?? 0) * 1000;
      const retryType = ctx.retryType ?? (proposed.type === 'CRASHED' ? 'reschedule' : 'in_process');
      policy = { ...(policy ?? run.empiricalPolicy), retry_type: retryType, pause_keys: [], resuming: false };
      return reject(
        scheduledState(STATE_NAMES.awaitingRetry, ctx.now + delay, proposed.message),
        `Retry ${run.runCount} of ${retries}: the run is scheduled to try again.`,
      );
    }
    policy = { ...(policy ?? run.empiricalPolicy), retry_type: null };
  }

  return finish('ACCEPT', proposed, null);
}
