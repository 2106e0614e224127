import { isAbsolute, relative } from 'node:path';
import type { DeploymentScheduleCreate } from '../domain/schedules/schema.js';
import { validateParameters } from '../domain/parameters.js';
import type { PullStep } from './config/stepsSchema.js';
import type { InspectedFlow } from './inspectFlows.js';
import type { DeployProblem } from './problems.js';
import { originOf, type CompleteSpec } from './spec.js';

/** `POST /api/deployments/` without `flow_id` (known only once the flow is written). */
export type DeploymentRequest = {
  name: string;
  entrypoint: string;
  path: string;
  description: string | null;
  version: string | null;
  tags: string[];
  parameters: Record<string, unknown>;
  parameter_openapi_schema: Record<string, unknown>;
  work_pool_name: string;
  work_queue_name?: string;
  job_variables: Record<string, unknown>;
  schedules: DeploymentScheduleCreate[];
  concurrency_limit: number | null;
  concurrency_options: { collision_strategy: 'ENQUEUE' | 'CANCEL_NEW'; grace_period_seconds?: number } | null;
  pull_steps: Record<string, unknown>[] | null;
  enforce_parameter_schema?: boolean;
  paused?: boolean;
};

/**
 * What the server is asked to store. `path` is the project root, where a worker without pull
 * steps runs the flow; with a `git_clone` step the worker runs it in its checkout instead.
 * `enforce_parameter_schema` and `paused` are sent only when the user set them: left out, the
 * server keeps what an operator chose on a redeploy. Description and version fall back to the
 * flow's own.
 */
export function buildRequest(spec: CompleteSpec, flow: InspectedFlow, root: string, schedules: DeploymentScheduleCreate[]): DeploymentRequest {
  const c = spec.concurrency;
  return {
    name: spec.name,
    entrypoint: relativeEntrypoint(root, spec.entrypoint),
    path: root,
    description: spec.description !== undefined ? spec.description : flow.description,
    version: spec.version !== undefined ? spec.version : flow.version,
    tags: spec.tags ?? [],
    parameters: spec.parameters,
    parameter_openapi_schema: flow.parameterSchema,
    work_pool_name: spec.pool,
    ...(spec.queue ? { work_queue_name: spec.queue } : {}),
    job_variables: spec.jobVariables,
    schedules,
    concurrency_limit: c ? c.limit : null,
    concurrency_options: c
      ? { collision_strategy: c.collision_strategy ?? 'ENQUEUE', ...(c.grace_period_seconds !== undefined ? { grace_period_seconds: c.grace_period_seconds } : {}) }
      : null,
    pull_steps: spec.pullSteps && spec.pullSteps.length > 0 ? spec.pullSteps.map(pullStepBody) : null,
    ...(spec.enforceParameterSchema !== undefined ? { enforce_parameter_schema: spec.enforceParameterSchema } : {}),
    ...(spec.paused !== undefined ? { paused: spec.paused } : {}),
  };
}

/** `{step: 'git_clone', args}` → `{'baton.deployments.steps.git_clone': {...args}}`, the stored form. */
export function pullStepBody(step: PullStep): Record<string, unknown> {
  return { [`baton.deployments.steps.${step.step}`]: { ...(step.id !== undefined ? { id: step.id } : {}), ...step.args } };
}

/** `./flows\etl.ts:etl` or `/abs/root/flows/etl.ts:etl` → `flows/etl.ts:etl`, relative to the root. */
export function relativeEntrypoint(root: string, entrypoint: string): string {
  const at = entrypoint.lastIndexOf(':');
  const file = at > 0 ? entrypoint.slice(0, at) : entrypoint;
  const exportName = at > 0 ? entrypoint.slice(at) : '';
  const rel = isAbsolute(file) ? relative(root, file) : file;
  return `${rel.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '')}${exportName}`;
}

/**
 * Default parameter values against the flow's schema, as the server checks them: each value
 * given must fit; required parameters may be left to each run. Every bad value is reported.
 */
export function checkParameters(spec: CompleteSpec, flow: InspectedFlow): DeployProblem[] {
  const origin = originOf(spec, 'parameters');
  return validateParameters(flow.parameterSchema, spec.parameters, { requireAll: false, loc: [] }).map((d) => {
    const subpath = d.loc.length > 0 ? d.loc : [];
    // The validator's message starts with the JSON pointer, which the path already says.
    const message = d.msg.replace(/^\/\S*: /, '');
    return { origin, ...(subpath.length > 0 ? { subpath } : {}), message };
  });
}

/** `/rows: must be integer`, one per problem: for checking a prompt's answer. */
export function parameterProblems(schema: Record<string, unknown>, values: Record<string, unknown>): string[] {
  return validateParameters(schema, values, { requireAll: false, loc: [] }).map((d) => d.msg);
}
