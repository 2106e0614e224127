/**
 * Runs of a schedule that count against its `max_active_runs`: the active states, and a run
 * waiting for an in-process retry (its process is alive, so the next run would overlap it). SQL
 * over `flow_run x`, for the schedule id expression given; both counts are served by
 * ix_flow_run_schedule_state.
 */
export function scheduleActiveCount(scheduleId: string): string {
  return `((SELECT count(*) FROM flow_run x WHERE x.schedule_id = ${scheduleId} AND x.state_type IN ('PENDING', 'RUNNING', 'CANCELLING'))
    + (SELECT count(*) FROM flow_run x WHERE x.schedule_id = ${scheduleId} AND x.state_type = 'SCHEDULED' AND x.claim_token IS NOT NULL))`;
}

/** Runs of a schedule that never started and nobody holds, over `flow_run` (ix_flow_run_schedule_state). */
export const UNSTARTED_RUNS_OF_SCHEDULE = `schedule_id = ? AND state_type = 'SCHEDULED' AND claim_token IS NULL
  AND run_count = 0 AND state_name != 'AwaitingRetry'`;
