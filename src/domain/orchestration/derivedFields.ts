import { isTerminal } from '../states.js';
import { scheduledTime } from './stateTimes.js';
import type { ProposedState, RunSnapshot } from './types.js';

/** The run columns a transition maintains (Prefect's global transforms, §2.7). */
export interface DerivedFields {
  startTime: number | null;
  endTime: number | null;
  runCount: number;
  totalRunTime: number;
  expectedStartTime: number | null;
  nextScheduledStartTime: number | null;
  resuming: boolean | undefined;
}

/** Computes the derived fields for a state written at `timestamp`. */
export function deriveRunFields(run: RunSnapshot, next: ProposedState, timestamp: number): DerivedFields {
  const previous = run.state;
  let { startTime, endTime, runCount, totalRunTime, expectedStartTime } = run;
  let resuming = run.empiricalPolicy.resuming;

  if (expectedStartTime === null) {
    expectedStartTime = next.type === 'SCHEDULED' ? (scheduledTime(next) ?? timestamp) : timestamp;
  }
  if (previous?.type === 'RUNNING' && next.type !== 'RUNNING') {
    totalRunTime += Math.max(0, timestamp - previous.timestamp) / 1000;
  }
  if (next.type === 'RUNNING' && previous?.type !== 'RUNNING') {
    if (!resuming) runCount += 1;
    startTime ??= timestamp;
  }
  if (isTerminal(next.type)) {
    endTime = timestamp;
    startTime ??= timestamp;
  } else if (previous && isTerminal(previous.type)) {
    endTime = null;
  }
  if (next.type === 'RUNNING' || isTerminal(next.type)) resuming = false;
  return {
    startTime,
    endTime,
    runCount,
    totalRunTime,
    expectedStartTime,
    nextScheduledStartTime: next.type === 'SCHEDULED' ? scheduledTime(next) : null,
    resuming,
  };
}
