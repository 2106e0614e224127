import type { Deployment } from '../domain/schemas/deployments.js';
import type { DeploymentFilterInput, DeploymentSort, FlowFilterInput, FlowRunFilterInput } from '../domain/schemas/filters.js';
import type { Flow } from '../domain/schemas/flows.js';
import type { Http } from './http.js';

const enc = encodeURIComponent;

export interface CrossFilterBody {
  flows?: FlowFilterInput;
  flow_runs?: FlowRunFilterInput;
  deployments?: DeploymentFilterInput;
  work_pools?: { name?: { any_?: string[] } };
  work_pool_queues?: { name?: { any_?: string[] } };
  limit?: number;
  offset?: number;
}

export class FlowsClient {
  constructor(private readonly http: Http) {}

  create(name: string, tags: string[] = []): Promise<Flow> {
    return this.http.request('POST', '/flows/', { name, tags });
  }
  read(id: string): Promise<Flow> {
    return this.http.request('GET', `/flows/${enc(id)}`);
  }
  readByName(name: string): Promise<Flow> {
    return this.http.request('GET', `/flows/name/${enc(name)}`);
  }
  list(filter: CrossFilterBody & { sort?: DeploymentSort } = {}): Promise<Flow[]> {
    return this.http.request('POST', '/flows/filter', filter);
  }
  delete(id: string): Promise<void> {
    return this.http.request('DELETE', `/flows/${enc(id)}`);
  }
}

/** A deployment as `POST /deployments/` takes it. */
export type DeploymentCreateBody = { name: string; flow_id: string } & Record<string, unknown>;

export class DeploymentsClient {
  constructor(private readonly http: Http) {}

  upsert(body: DeploymentCreateBody): Promise<Deployment> {
    return this.http.request('POST', '/deployments/', body);
  }
  read(id: string): Promise<Deployment> {
    return this.http.request('GET', `/deployments/${enc(id)}`);
  }
  /** By `flow/deployment` name. */
  readByName(flowName: string, name: string): Promise<Deployment> {
    return this.http.request('GET', `/deployments/name/${enc(flowName)}/${enc(name)}`);
  }
  list(filter: CrossFilterBody & { sort?: DeploymentSort } = {}): Promise<Deployment[]> {
    return this.http.request('POST', '/deployments/filter', filter);
  }
  update(id: string, patch: Record<string, unknown>): Promise<void> {
    return this.http.request('PATCH', `/deployments/${enc(id)}`, patch);
  }
  delete(id: string): Promise<void> {
    return this.http.request('DELETE', `/deployments/${enc(id)}`);
  }
  pause(id: string): Promise<void> {
    return this.http.request('POST', `/deployments/${enc(id)}/pause_deployment`);
  }
  resume(id: string): Promise<void> {
    return this.http.request('POST', `/deployments/${enc(id)}/resume_deployment`);
  }
}

