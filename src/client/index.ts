import { Http } from './http.js';
import { WorkPoolsClient } from './workPools.js';

export { HttpError, ServerUnreachableError } from './http.js';

/** The typed REST client: the one place that knows the API's URLs. */
export class BatonClient {
  readonly http: Http;
  readonly workPools: WorkPoolsClient;

  constructor(readonly apiUrl: string) {
    this.http = new Http(apiUrl.replace(/\/+$/, ''));
    this.workPools = new WorkPoolsClient(this.http);
  }

  health(): Promise<boolean> {
    return this.http.request('GET', '/health', undefined, { timeoutMs: 5_000 });
  }
  version(): Promise<string> {
    return this.http.request('GET', '/admin/version');
  }
}
