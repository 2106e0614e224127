import type { CancellingRun, ClaimedRun } from '../domain/schemas/workerRuns.js';
import type { Http } from './http.js';

const enc = encodeURIComponent;

/** The calls a worker makes besides heartbeats: claims and cancellations, both long-polls. */
export class WorkerApi {
  constructor(private readonly http: Http) {}

  claim(
    pool: string,
    body: { worker_name: string; work_queue_names?: string[]; limit: number; prefetch_seconds?: number; wait_seconds?: number },
    signal?: AbortSignal,
  ): Promise<ClaimedRun[]> {
    const wait = body.wait_seconds ?? 0;
    return this.http.request('POST', `/work_pools/${enc(pool)}/claim_flow_runs`, body, {
      timeoutMs: (wait + 15) * 1000,
      ...(signal ? { signal } : {}),
    });
  }

  cancellations(pool: string, worker: string, waitSeconds: number, signal?: AbortSignal): Promise<CancellingRun[]> {
    return this.http.request('POST', `/work_pools/${enc(pool)}/workers/${enc(worker)}/cancellations`, { wait_seconds: waitSeconds }, {
      timeoutMs: (waitSeconds + 15) * 1000,
      ...(signal ? { signal } : {}),
    });
  }
}
