import { FlowRunsClient } from './flowRuns.js';
import { DeploymentsClient, FlowsClient } from './flows.js';
import { Http } from './http.js';
import { WorkerApi } from './workerApi.js';
import { WorkPoolsClient } from './workPools.js';

export { HttpError, ServerUnreachableError } from './http.js';

/** The typed REST client: the one place that knows the API's URLs. */
export class BatonClient {
  readonly http: Http;
  readonly workPools: WorkPoolsClient;
  readonly flows: FlowsClient;
  readonly deployments: DeploymentsClient;
  readonly flowRuns: FlowRunsClient;
  readonly worker: WorkerApi;

  constructor(readonly apiUrl: string) {
    this.http = new Http(apiUrl.replace(/\/+$/, ''));
    this.workPools = new WorkPoolsClient(this.http);
    this.flows = new FlowsClient(this.http);
    this.deployments = new DeploymentsClient(this.http);
    this.flowRuns = new FlowRunsClient(this.http);
    this.worker = new WorkerApi(this.http);
  }

  health(): Promise<boolean> {
    return this.http.request('GET', '/health', undefined, { timeoutMs: 5_000 });
  }
  version(): Promise<string> {
    return this.http.request('GET', '/admin/version');
  }

  /** Closes idle keep-alive connections. */
  close(): void {
    this.http.close();
  }
}
