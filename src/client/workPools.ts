import type { WorkerFilterInput, WorkPoolFilterInput, WorkQueueFilterInput } from '../domain/schemas/filters.js';
import type { Worker, WorkPool, WorkQueue, WorkQueueStatusDetail } from '../domain/schemas/workPools.js';
import type { Http } from './http.js';

const enc = encodeURIComponent;

/** Bodies as the API takes them (before server-side defaults). */
export interface WorkPoolCreateBody {
  name: string;
  type?: string;
  description?: string | null;
  base_job_template?: Record<string, unknown>;
  is_paused?: boolean;
  concurrency_limit?: number | null;
}
export type WorkPoolUpdateBody = Partial<Omit<WorkPoolCreateBody, 'name' | 'type'>>;
export interface WorkQueueCreateBody {
  name: string;
  description?: string | null;
  is_paused?: boolean;
  concurrency_limit?: number | null;
  priority?: number | null;
}
export type WorkQueueUpdateBody = Partial<WorkQueueCreateBody>;

export class WorkPoolsClient {
  constructor(private readonly http: Http) {}

  create(body: WorkPoolCreateBody): Promise<WorkPool> {
    return this.http.request('POST', '/work_pools/', body);
  }
  read(name: string): Promise<WorkPool> {
    return this.http.request('GET', `/work_pools/${enc(name)}`);
  }
  list(filter: { work_pools?: WorkPoolFilterInput; limit?: number; offset?: number } = {}): Promise<WorkPool[]> {
    return this.http.request('POST', '/work_pools/filter', filter);
  }
  count(filter: { work_pools?: WorkPoolFilterInput } = {}): Promise<number> {
    return this.http.request('POST', '/work_pools/count', filter);
  }
  update(name: string, patch: WorkPoolUpdateBody): Promise<void> {
    return this.http.request('PATCH', `/work_pools/${enc(name)}`, patch);
  }
  delete(name: string): Promise<void> {
    return this.http.request('DELETE', `/work_pools/${enc(name)}`);
  }

  createQueue(pool: string, body: WorkQueueCreateBody): Promise<WorkQueue> {
    return this.http.request('POST', `/work_pools/${enc(pool)}/queues`, body);
  }
  readQueue(pool: string, name: string): Promise<WorkQueue> {
    return this.http.request('GET', `/work_pools/${enc(pool)}/queues/${enc(name)}`);
  }
  listQueues(pool: string, filter: { work_queues?: WorkQueueFilterInput; limit?: number; offset?: number } = {}): Promise<WorkQueue[]> {
    return this.http.request('POST', `/work_pools/${enc(pool)}/queues/filter`, filter);
  }
  listAllQueues(filter: { work_queues?: WorkQueueFilterInput; limit?: number; offset?: number } = {}): Promise<WorkQueue[]> {
    return this.http.request('POST', '/work_queues/filter', filter);
  }
  queueStatus(id: string): Promise<WorkQueueStatusDetail> {
    return this.http.request('GET', `/work_queues/${enc(id)}/status`);
  }
  updateQueue(pool: string, name: string, patch: WorkQueueUpdateBody): Promise<void> {
    return this.http.request('PATCH', `/work_pools/${enc(pool)}/queues/${enc(name)}`, patch);
  }
  deleteQueue(pool: string, name: string): Promise<void> {
    return this.http.request('DELETE', `/work_pools/${enc(pool)}/queues/${enc(name)}`);
  }

  heartbeat(pool: string, name: string, heartbeatIntervalSeconds: number): Promise<void> {
    return this.http.request('POST', `/work_pools/${enc(pool)}/workers/heartbeat`, {
      name,
      heartbeat_interval_seconds: heartbeatIntervalSeconds,
    });
  }
  listWorkers(pool: string, filter: { workers?: WorkerFilterInput; limit?: number; offset?: number } = {}): Promise<Worker[]> {
    return this.http.request('POST', `/work_pools/${enc(pool)}/workers/filter`, filter);
  }
  deleteWorker(pool: string, name: string): Promise<void> {
    return this.http.request('DELETE', `/work_pools/${enc(pool)}/workers/${enc(name)}`);
  }
}
