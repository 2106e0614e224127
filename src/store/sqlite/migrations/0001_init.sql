-- baton's schema: every object of DESIGN.md. Times are INTEGER milliseconds since the Unix epoch
-- (UTC); JSON values are TEXT. Each index names the filter or query that needs it.

CREATE TABLE work_pool (
  id TEXT PRIMARY KEY,
  created INTEGER NOT NULL,
  updated INTEGER NOT NULL,
  name TEXT NOT NULL UNIQUE,
  description TEXT,
  type TEXT NOT NULL,
  base_job_template TEXT NOT NULL DEFAULT '{}',
  is_paused INTEGER NOT NULL DEFAULT 0 CHECK (is_paused IN (0, 1)),
  concurrency_limit INTEGER CHECK (concurrency_limit IS NULL OR concurrency_limit >= 0),
  default_queue_id TEXT,
  storage_configuration TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE work_queue (
  id TEXT PRIMARY KEY,
  created INTEGER NOT NULL,
  updated INTEGER NOT NULL,
  work_pool_id TEXT NOT NULL REFERENCES work_pool (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  description TEXT DEFAULT '',
  is_paused INTEGER NOT NULL DEFAULT 0 CHECK (is_paused IN (0, 1)),
  concurrency_limit INTEGER CHECK (concurrency_limit IS NULL OR concurrency_limit >= 0),
  priority INTEGER NOT NULL CHECK (priority >= 1),
  last_polled INTEGER,
  UNIQUE (work_pool_id, name)
);
-- legacy /work_queues/name/{name}
CREATE INDEX ix_work_queue_name ON work_queue (name);

CREATE TABLE worker (
  id TEXT PRIMARY KEY,
  created INTEGER NOT NULL,
  updated INTEGER NOT NULL,
  work_pool_id TEXT NOT NULL REFERENCES work_pool (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  last_heartbeat_time INTEGER,
  heartbeat_interval_seconds INTEGER,
  UNIQUE (work_pool_id, name)
);
-- the reaper looks for workers whose heartbeat is older than their lease
CREATE INDEX ix_worker_heartbeat ON worker (last_heartbeat_time);

CREATE TABLE flow (
  id TEXT PRIMARY KEY,
  created INTEGER NOT NULL,
  updated INTEGER NOT NULL,
  name TEXT NOT NULL UNIQUE,
  tags TEXT NOT NULL DEFAULT '[]',
  labels TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE deployment (
  id TEXT PRIMARY KEY,
  created INTEGER NOT NULL,
  updated INTEGER NOT NULL,
  flow_id TEXT NOT NULL REFERENCES flow (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  version TEXT,
  description TEXT,
  paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
  tags TEXT NOT NULL DEFAULT '[]',
  labels TEXT NOT NULL DEFAULT '{}',
  parameters TEXT NOT NULL DEFAULT '{}',
  parameter_openapi_schema TEXT,
  enforce_parameter_schema INTEGER NOT NULL DEFAULT 1 CHECK (enforce_parameter_schema IN (0, 1)),
  job_variables TEXT NOT NULL DEFAULT '{}',
  pull_steps TEXT,
  entrypoint TEXT,
  path TEXT,
  work_queue_id TEXT REFERENCES work_queue (id) ON DELETE SET NULL,
  work_queue_name TEXT,
  concurrency_limit INTEGER CHECK (concurrency_limit IS NULL OR concurrency_limit >= 0),
  concurrency_options TEXT,
  last_polled INTEGER,
  version_info TEXT,
  created_by TEXT,
  updated_by TEXT,
  UNIQUE (flow_id, name)
);
CREATE INDEX ix_deployment_work_queue ON deployment (work_queue_id);
CREATE INDEX ix_deployment_name ON deployment (name);

CREATE TABLE deployment_schedule (
  id TEXT PRIMARY KEY,
  created INTEGER NOT NULL,
  updated INTEGER NOT NULL,
  deployment_id TEXT NOT NULL REFERENCES deployment (id) ON DELETE CASCADE,
  schedule TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  max_scheduled_runs INTEGER,
  parameters TEXT NOT NULL DEFAULT '{}',
  slug TEXT,
  catchup TEXT NOT NULL DEFAULT 'latest' CHECK (catchup IN ('all', 'latest', 'none')),
  max_active_runs INTEGER CHECK (max_active_runs IS NULL OR max_active_runs >= 1),
  -- the scheduler's cursor: the next slot it has not yet created a run for
  next_fire_time INTEGER,
  UNIQUE (deployment_id, slug)
);
-- the scheduler reads only the schedules that are due
CREATE INDEX ix_deployment_schedule_due ON deployment_schedule (next_fire_time) WHERE active = 1;
CREATE INDEX ix_deployment_schedule_deployment ON deployment_schedule (deployment_id);

CREATE TABLE flow_run (
  id TEXT PRIMARY KEY,
  created INTEGER NOT NULL,
  updated INTEGER NOT NULL,
  name TEXT NOT NULL,
  flow_id TEXT NOT NULL REFERENCES flow (id) ON DELETE CASCADE,
  deployment_id TEXT REFERENCES deployment (id) ON DELETE SET NULL,
  deployment_version TEXT,
  work_queue_id TEXT REFERENCES work_queue (id) ON DELETE SET NULL,
  work_queue_name TEXT,
  flow_version TEXT,
  parameters TEXT NOT NULL DEFAULT '{}',
  idempotency_key TEXT,
  context TEXT NOT NULL DEFAULT '{}',
  empirical_policy TEXT NOT NULL DEFAULT '{}',
  tags TEXT NOT NULL DEFAULT '[]',
  labels TEXT NOT NULL DEFAULT '{}',
  parent_task_run_id TEXT,
  state_id TEXT,
  state_type TEXT CHECK (state_type IS NULL OR state_type IN
    ('SCHEDULED', 'PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED', 'PAUSED', 'CANCELLING')),
  state_name TEXT,
  state_timestamp INTEGER,
  run_count INTEGER NOT NULL DEFAULT 0,
  expected_start_time INTEGER,
  next_scheduled_start_time INTEGER,
  start_time INTEGER,
  end_time INTEGER,
  total_run_time REAL NOT NULL DEFAULT 0,
  auto_scheduled INTEGER NOT NULL DEFAULT 0 CHECK (auto_scheduled IN (0, 1)),
  infrastructure_pid TEXT,
  infrastructure_document_id TEXT,
  created_by TEXT,
  job_variables TEXT NOT NULL DEFAULT '{}',
  -- baton: the claim (lease) a worker holds on this run, renewed by the worker's heartbeats
  worker_id TEXT REFERENCES worker (id) ON DELETE SET NULL,
  claim_token TEXT,
  -- baton: 1 while the run holds one of its deployment's concurrency slots
  holds_slot INTEGER NOT NULL DEFAULT 0 CHECK (holds_slot IN (0, 1)),
  -- baton: the schedule slot this run was created for (deployment + slot time is unique)
  schedule_slot INTEGER
);
-- Prefect's upsert key for idempotent creates
CREATE UNIQUE INDEX ux_flow_run_idempotency ON flow_run (flow_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
-- a schedule slot never has two runs, whatever the schedule row's identity
CREATE UNIQUE INDEX ux_flow_run_schedule_slot ON flow_run (deployment_id, schedule_slot) WHERE schedule_slot IS NOT NULL;
-- claiming: due SCHEDULED runs of a queue in time order
CREATE INDEX ix_flow_run_claimable ON flow_run (work_queue_id, next_scheduled_start_time) WHERE state_type = 'SCHEDULED';
-- concurrency counts: active runs of a queue / deployment; leases of a worker
CREATE INDEX ix_flow_run_active_queue ON flow_run (work_queue_id) WHERE state_type IN ('PENDING', 'RUNNING', 'CANCELLING');
CREATE INDEX ix_flow_run_slot ON flow_run (deployment_id) WHERE holds_slot = 1;
CREATE INDEX ix_flow_run_worker ON flow_run (worker_id) WHERE worker_id IS NOT NULL;
-- list filters and sorts: each common filter has an index in the order of the sorts clients use
-- with it (newest first, expected start for `flow-run ls`, start time for Prefect's UI), so a page
-- of 50 never sorts a large match set (at 1,000,000 runs a sort of the matches takes 60-600 ms)
CREATE INDEX ix_flow_run_flow ON flow_run (flow_id, id);
CREATE INDEX ix_flow_run_deployment ON flow_run (deployment_id, id);
CREATE INDEX ix_flow_run_deployment_start ON flow_run (deployment_id, coalesce(start_time, expected_start_time), id);
CREATE INDEX ix_flow_run_state_type ON flow_run (state_type, id);
CREATE INDEX ix_flow_run_state_type_expected ON flow_run (state_type, expected_start_time, id);
CREATE INDEX ix_flow_run_state_name ON flow_run (state_name, id);
CREATE INDEX ix_flow_run_state_name_expected ON flow_run (state_name, expected_start_time, id);
CREATE INDEX ix_flow_run_expected_start ON flow_run (expected_start_time, id);
CREATE INDEX ix_flow_run_start_sort ON flow_run (coalesce(start_time, expected_start_time), id);
CREATE INDEX ix_flow_run_next_scheduled ON flow_run (next_scheduled_start_time) WHERE next_scheduled_start_time IS NOT NULL;
CREATE INDEX ix_flow_run_start_time ON flow_run (start_time) WHERE start_time IS NOT NULL;
CREATE INDEX ix_flow_run_end_time ON flow_run (end_time) WHERE end_time IS NOT NULL;
CREATE INDEX ix_flow_run_name ON flow_run (name, id);
CREATE INDEX ix_flow_run_work_queue_name ON flow_run (work_queue_name, id);
CREATE INDEX ix_flow_run_parent ON flow_run (parent_task_run_id) WHERE parent_task_run_id IS NOT NULL;

CREATE TABLE flow_run_state (
  id TEXT PRIMARY KEY,
  created INTEGER NOT NULL,
  flow_run_id TEXT NOT NULL REFERENCES flow_run (id) ON DELETE CASCADE,
  type TEXT NOT NULL CHECK (type IN
    ('SCHEDULED', 'PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED', 'PAUSED', 'CANCELLING')),
  name TEXT NOT NULL,
  timestamp INTEGER NOT NULL,
  message TEXT,
  data TEXT,
  state_details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX ix_flow_run_state_run ON flow_run_state (flow_run_id, timestamp);

CREATE TABLE log (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL,
  created INTEGER NOT NULL,
  name TEXT NOT NULL,
  level INTEGER NOT NULL,
  message TEXT NOT NULL,
  timestamp INTEGER NOT NULL,
  flow_run_id TEXT REFERENCES flow_run (id) ON DELETE CASCADE,
  task_run_id TEXT
);
CREATE INDEX ix_log_run ON log (flow_run_id, timestamp, seq);
CREATE INDEX ix_log_timestamp ON log (timestamp);
