-- The scheduler, late runs and catch-up (issue 6).

-- When the scheduler must look at a schedule again: the earliest time a fill would create a run
-- (its run horizon or its minimum run count runs out). NULL: never (paused, exhausted, or its
-- parameters are invalid) until the deployment or the schedule changes. New rows are due at once.
ALTER TABLE deployment_schedule ADD COLUMN refill_at INTEGER DEFAULT 0;
-- Why the scheduler could not create runs for this schedule (invalid parameters), else NULL.
ALTER TABLE deployment_schedule ADD COLUMN last_error TEXT;
-- the scheduler reads only the schedules whose refill time has come
CREATE INDEX ix_deployment_schedule_refill ON deployment_schedule (refill_at) WHERE active = 1 AND refill_at IS NOT NULL;

-- The schedule row that made an auto-scheduled run (its max_active_runs and catch-up policy apply
-- to the run), and what tells apart the runs of two schedules of a deployment firing at the same
-- instant: the schedule's slug ('' without one), which a redeploy keeps while it recreates rows.
ALTER TABLE flow_run ADD COLUMN schedule_id TEXT;
ALTER TABLE flow_run ADD COLUMN schedule_key TEXT NOT NULL DEFAULT '';
DROP INDEX ux_flow_run_schedule_slot;
-- a slot of a deployment (and schedule slug) never has two runs, whatever the schedule row's identity
CREATE UNIQUE INDEX ux_flow_run_schedule_slot ON flow_run (deployment_id, schedule_slot, schedule_key) WHERE schedule_slot IS NOT NULL;
-- max_active_runs counts, a schedule's waiting runs (catch-up, schedule edits), its next run
CREATE INDEX ix_flow_run_schedule_state ON flow_run (schedule_id, state_type, claim_token, next_scheduled_start_time) WHERE schedule_id IS NOT NULL;
CREATE INDEX ix_flow_run_schedule_slot_of ON flow_run (schedule_id, schedule_slot) WHERE schedule_id IS NOT NULL;
-- the late-runs sweep: only runs still waiting under the plain "Scheduled" name
CREATE INDEX ix_flow_run_due_scheduled ON flow_run (next_scheduled_start_time) WHERE state_type = 'SCHEDULED' AND state_name = 'Scheduled';
