import type { FlowRun } from '../domain/schemas/flowRuns.js';
import type { FlowRunSort, LogFilterInput } from '../domain/schemas/filters.js';
import type { Log } from '../domain/schemas/logs.js';
import type { OrchestrationResult, State, StateCreateInput } from '../domain/schemas/states.js';
import type { CrossFilterBody } from './flows.js';
import type { Http } from './http.js';

const enc = encodeURIComponent;

/** A run request for a deployment (Prefect's DeploymentFlowRunCreate). */
export interface DeploymentRunBody {
  parameters?: Record<string, unknown>;
  state?: StateCreateInput;
  name?: string;
  tags?: string[];
  job_variables?: Record<string, unknown>;
  idempotency_key?: string;
  work_queue_name?: string;
  enforce_parameter_schema?: boolean;
}

export interface LogLine {
  name: string;
  level: number;
  message: string;
  timestamp: string;
  flow_run_id: string | null;
}

export class FlowRunsClient {
  constructor(private readonly http: Http) {}

  createForDeployment(deploymentId: string, body: DeploymentRunBody = {}): Promise<FlowRun> {
    return this.http.request('POST', `/deployments/${enc(deploymentId)}/create_flow_run`, body);
  }
  read(id: string): Promise<FlowRun> {
    return this.http.request('GET', `/flow_runs/${enc(id)}`);
  }
  list(filter: CrossFilterBody & { sort?: FlowRunSort } = {}): Promise<FlowRun[]> {
    return this.http.request('POST', '/flow_runs/filter', filter);
  }
  count(filter: CrossFilterBody = {}): Promise<number> {
    return this.http.request('POST', '/flow_runs/count', filter);
  }
  update(id: string, patch: Record<string, unknown>): Promise<void> {
    return this.http.request('PATCH', `/flow_runs/${enc(id)}`, patch);
  }
  delete(id: string): Promise<void> {
    return this.http.request('DELETE', `/flow_runs/${enc(id)}`);
  }
  setState(
    id: string,
    state: StateCreateInput,
    options: { force?: boolean; claimToken?: string | null; retryType?: 'in_process' | 'reschedule' } = {},
  ): Promise<OrchestrationResult> {
    return this.http.request('POST', `/flow_runs/${enc(id)}/set_state`, {
      state,
      force: options.force ?? false,
      ...(options.claimToken ? { claim_token: options.claimToken } : {}),
      ...(options.retryType ? { retry_type: options.retryType } : {}),
    });
  }
  states(id: string): Promise<State[]> {
    return this.http.request('GET', `/flow_run_states/?flow_run_id=${enc(id)}`);
  }
  sendLogs(lines: LogLine[]): Promise<void> {
    return this.http.request('POST', '/logs/', lines);
  }
  logs(body: { logs?: LogFilterInput; sort?: 'TIMESTAMP_ASC' | 'TIMESTAMP_DESC'; limit?: number; offset?: number }): Promise<Log[]> {
    return this.http.request('POST', '/logs/filter', body);
  }
}
