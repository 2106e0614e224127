/**
 * The API's objects, as the server's zod schemas define them (type-only imports: nothing of zod
 * reaches the bundle, and the UI cannot drift from the responses it reads).
 */
export type { Deployment } from '../../domain/schemas/deployments.js';
export type { DeploymentSchedule } from '../../domain/schedules/schema.js';
export type { Flow } from '../../domain/schemas/flows.js';
export type { FlowRun } from '../../domain/schemas/flowRuns.js';
export type { Log } from '../../domain/schemas/logs.js';
export type { OrchestrationResult, State } from '../../domain/schemas/states.js';
export type { Worker, WorkPool, WorkQueue } from '../../domain/schemas/workPools.js';
export type { FlowRunFilterInput, DeploymentFilterInput } from '../../domain/schemas/filters.js';
export type { StateType } from '../../domain/states.js';

/** Prefect's pagination answer. */
export interface Page<T> {
  results: T[];
  count: number;
  limit: number;
  pages: number;
  page: number;
}

/** One problem of a 422 answer. */
export interface ErrorDetail {
  loc: (string | number)[];
  msg: string;
  type: string;
}
