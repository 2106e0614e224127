import type { DeploymentSchedule } from '../domain/schedules/schema.js';
import type { Http } from './http.js';

const enc = encodeURIComponent;

/** A schedule as `POST /deployments/{id}/schedules` takes it (validated by the server). */
export type DeploymentScheduleBody = { schedule: Record<string, unknown> } & Record<string, unknown>;

/** `/deployments/{id}/schedules`: a deployment's schedules. */
export class DeploymentSchedulesClient {
  constructor(private readonly http: Http) {}

  list(deploymentId: string): Promise<DeploymentSchedule[]> {
    return this.http.request('GET', `/deployments/${enc(deploymentId)}/schedules`);
  }
  create(deploymentId: string, schedules: DeploymentScheduleBody[]): Promise<DeploymentSchedule[]> {
    return this.http.request('POST', `/deployments/${enc(deploymentId)}/schedules`, schedules);
  }
  update(deploymentId: string, scheduleId: string, patch: Record<string, unknown>): Promise<void> {
    return this.http.request('PATCH', `/deployments/${enc(deploymentId)}/schedules/${enc(scheduleId)}`, patch);
  }
  delete(deploymentId: string, scheduleId: string): Promise<void> {
    return this.http.request('DELETE', `/deployments/${enc(deploymentId)}/schedules/${enc(scheduleId)}`);
  }
}
