-- Runs a worker holds a lease on (the lease reaper's and its next-expiry query's condition,
-- verbatim, so SQLite uses this partial index for them). It holds only the runs in flight, so the
-- reaper's queries, run every second, cost the same with 10 runs or 10,000,000 in the history;
-- before, the reaper walked every SCHEDULED run (50 ms at 100,000 runs) or a lapsed worker's
-- whole history.
DROP INDEX ix_flow_run_worker;
CREATE INDEX ix_flow_run_leased ON flow_run (worker_id)
  WHERE state_type IN ('PENDING', 'RUNNING', 'CANCELLING') OR (state_type = 'SCHEDULED' AND claim_token IS NOT NULL);
