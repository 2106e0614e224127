import type { StateRecord } from '../../domain/orchestration/types.js';
import type { FlowRun } from '../../domain/schemas/flowRuns.js';
import type { State } from '../../domain/schemas/states.js';
import type { StateType } from '../../domain/states.js';
import { toIso } from '../../domain/time.js';
import { bool, fromJson } from './json.js';

export interface FlowRunRow {
  id: string;
  created: number;
  updated: number;
  name: string;
  flow_id: string;
  deployment_id: string | null;
  deployment_version: string | null;
  work_queue_id: string | null;
  work_queue_name: string | null;
  flow_version: string | null;
  parameters: string;
  idempotency_key: string | null;
  context: string;
  empirical_policy: string;
  tags: string;
  labels: string;
  parent_task_run_id: string | null;
  state_id: string | null;
  state_type: StateType | null;
  state_name: string | null;
  state_timestamp: number | null;
  run_count: number;
  expected_start_time: number | null;
  next_scheduled_start_time: number | null;
  start_time: number | null;
  end_time: number | null;
  total_run_time: number;
  auto_scheduled: number;
  infrastructure_pid: string | null;
  infrastructure_document_id: string | null;
  created_by: string | null;
  job_variables: string;
  worker_id: string | null;
  claim_token: string | null;
  holds_slot: number;
  schedule_slot: number | null;
  schedule_id: string | null;
  schedule_key: string;
}

export interface StateRow {
  id: string;
  created: number;
  flow_run_id: string;
  type: StateType;
  name: string;
  timestamp: number;
  message: string | null;
  data: string | null;
  state_details: string;
}

/** A run row with the names and state its response needs. */
export interface FlowRunViewRow extends FlowRunRow {
  flow_name: string;
  deployment_name: string | null;
  work_pool_id: string | null;
  work_pool_name: string | null;
  worker_name: string | null;
  s_id: string | null;
  s_created: number | null;
  s_type: StateType | null;
  s_name: string | null;
  s_timestamp: number | null;
  s_message: string | null;
  s_data: string | null;
  s_details: string | null;
}

export const FLOW_RUN_VIEW_COLUMNS = `
  r.*, f.name AS flow_name, d.name AS deployment_name, q.work_pool_id AS work_pool_id, p.name AS work_pool_name,
  w.name AS worker_name, s.id AS s_id, s.created AS s_created, s.type AS s_type, s.name AS s_name,
  s.timestamp AS s_timestamp, s.message AS s_message, s.data AS s_data, s.state_details AS s_details`;

export const FLOW_RUN_VIEW_JOINS = `
  JOIN flow f ON f.id = r.flow_id
  LEFT JOIN deployment d ON d.id = r.deployment_id
  LEFT JOIN work_queue q ON q.id = r.work_queue_id
  LEFT JOIN work_pool p ON p.id = q.work_pool_id
  LEFT JOIN worker w ON w.id = r.worker_id
  LEFT JOIN flow_run_state s ON s.id = r.state_id`;

const STATE_DETAIL_DEFAULTS = {
  flow_run_id: null,
  task_run_id: null,
  child_flow_run_id: null,
  scheduled_time: null,
  cache_key: null,
  cache_expiration: null,
  deferred: false,
  untrackable_result: false,
  pause_timeout: null,
  pause_reschedule: false,
  pause_key: null,
  run_input_keyset: null,
  refresh_cache: null,
  retriable: null,
  transition_id: null,
  task_parameters_id: null,
  traceparent: null,
  deployment_concurrency_lease_id: null,
};

/** Prefect's full state_details shape, with the stored values over the defaults. */
export function stateDetails(stored: Record<string, unknown>, flowRunId: string): Record<string, unknown> {
  return { ...STATE_DETAIL_DEFAULTS, ...stored, flow_run_id: flowRunId };
}

export function stateFromRow(row: StateRow): State {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    timestamp: toIso(row.timestamp),
    message: row.message,
    data: fromJson(row.data, null),
    state_details: stateDetails(fromJson(row.state_details, {}), row.flow_run_id),
  };
}

export function stateRecordFromRow(row: StateRow): StateRecord {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    timestamp: row.timestamp,
    message: row.message,
    data: fromJson(row.data, null),
    details: fromJson(row.state_details, {}),
  };
}

export function flowRunFromRow(row: FlowRunViewRow, now: number): FlowRun {
  const state: State | null =
    row.s_id === null
      ? null
      : stateFromRow({
          id: row.s_id,
          created: row.s_created ?? 0,
          flow_run_id: row.id,
          type: row.s_type as StateType,
          name: row.s_name ?? '',
          timestamp: row.s_timestamp ?? 0,
          message: row.s_message,
          data: row.s_data,
          state_details: row.s_details ?? '{}',
        });
  const running = row.state_type === 'RUNNING' && row.state_timestamp !== null;
  const estimatedRunTime = row.total_run_time + (running ? Math.max(0, now - (row.state_timestamp ?? now)) / 1000 : 0);
  let startDelta = 0;
  if (row.start_time !== null && row.expected_start_time !== null) startDelta = (row.start_time - row.expected_start_time) / 1000;
  else if (row.start_time === null && row.expected_start_time !== null && row.expected_start_time < now) startDelta = (now - row.expected_start_time) / 1000;
  const policy = fromJson<Record<string, unknown>>(row.empirical_policy, {});
  return {
    id: row.id,
    created: toIso(row.created),
    updated: toIso(row.updated),
    name: row.name,
    flow_id: row.flow_id,
    state_id: row.state_id,
    deployment_id: row.deployment_id,
    deployment_version: row.deployment_version,
    work_queue_id: row.work_queue_id,
    work_queue_name: row.work_queue_name,
    work_pool_id: row.work_pool_id,
    work_pool_name: row.work_pool_name,
    flow_version: row.flow_version,
    parameters: fromJson(row.parameters, {}),
    idempotency_key: row.idempotency_key,
    context: fromJson(row.context, {}),
    empirical_policy: {
      max_retries: 0,
      retry_delay_seconds: 0,
      retries: null,
      retry_delay: null,
      pause_keys: [],
      resuming: false,
      retry_type: null,
      ...policy,
    },
    tags: fromJson(row.tags, []),
    labels: fromJson(row.labels, {}),
    parent_task_run_id: row.parent_task_run_id,
    state_type: row.state_type,
    state_name: row.state_name,
    run_count: row.run_count,
    expected_start_time: toIso(row.expected_start_time),
    next_scheduled_start_time: toIso(row.next_scheduled_start_time),
    start_time: toIso(row.start_time),
    end_time: toIso(row.end_time),
    total_run_time: row.total_run_time,
    estimated_run_time: estimatedRunTime,
    estimated_start_time_delta: Math.max(0, startDelta),
    auto_scheduled: bool(row.auto_scheduled),
    infrastructure_document_id: row.infrastructure_document_id,
    infrastructure_pid: row.infrastructure_pid,
    created_by: fromJson(row.created_by, null),
    job_variables: fromJson(row.job_variables, {}),
    state,
    flow_name: row.flow_name,
    deployment_name: row.deployment_name,
    worker_name: row.worker_name,
  };
}
