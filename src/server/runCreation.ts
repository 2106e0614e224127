import { BadRequestError, InvalidError } from '../domain/errors.js';
import { validateJobVariables } from '../domain/jobTemplate.js';
import { validateParameters } from '../domain/parameters.js';
import type { Deployment } from '../domain/schemas/deployments.js';
import { MAX_PARAMETER_BYTES, type DeploymentFlowRunCreate } from '../domain/schemas/flowRuns.js';
import { generateSlug } from '../domain/slugs.js';
import type { FlowRunWrite, Store } from '../store/store.js';

/** Refuses parameters over Prefect's 512 KiB limit. */
export function checkParameterSize(parameters: Record<string, unknown>): void {
  const bytes = Buffer.byteLength(JSON.stringify(parameters));
  if (bytes > MAX_PARAMETER_BYTES) {
    throw new InvalidError('Parameters are too large.', [
      { loc: ['body', 'parameters'], msg: `are ${bytes} bytes of JSON; the limit is ${MAX_PARAMETER_BYTES} (512 KiB)`, type: 'value_error' },
    ]);
  }
}

/** The union of two tag lists, in order, without duplicates. */
export function unionTags(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

/**
 * A run of a deployment, as `create_flow_run` (curl, CLI, UI) asks for it: the deployment's
 * parameters overlaid with the request's and validated against the flow's schema, required fields
 * included, before anything is stored.
 */
export async function deploymentRun(store: Store, deployment: Deployment, body: DeploymentFlowRunCreate, now: number): Promise<FlowRunWrite> {
  const parameters = { ...deployment.parameters, ...body.parameters };
  checkParameterSize(parameters);
  const enforce = body.enforce_parameter_schema ?? deployment.enforce_parameter_schema;
  const problems = enforce ? validateParameters(deployment.parameter_openapi_schema, parameters, { requireAll: true }) : [];
  if (Object.keys(body.job_variables).length > 0 && deployment.work_pool_name) {
    const pool = await store.workPools.get(deployment.work_pool_name);
    problems.push(...validateJobVariables(pool.base_job_template, body.job_variables));
  }
  if (problems.length > 0) throw new InvalidError('Invalid flow run.', problems);
  if (body.work_queue_name && !deployment.work_pool_name) {
    throw new BadRequestError(`Deployment '${deployment.flow_name}/${deployment.name}' has no work pool, so its runs cannot go to a work queue.`);
  }
  return {
    flowId: deployment.flow_id,
    deploymentId: deployment.id,
    deploymentVersion: deployment.version,
    name: body.name ?? generateSlug(),
    flowVersion: null,
    parameters,
    context: body.context,
    empiricalPolicy: body.empirical_policy,
    tags: unionTags(deployment.tags, body.tags),
    labels: body.labels ?? {},
    idempotencyKey: body.idempotency_key ?? null,
    parentTaskRunId: body.parent_task_run_id ?? null,
    workPoolName: deployment.work_pool_name,
    workQueueName: body.work_queue_name ?? deployment.work_queue_name,
    createQueue: true,
    jobVariables: body.job_variables,
    autoScheduled: false,
    createdBy: null,
    scheduleSlot: null,
    infrastructureDocumentId: body.infrastructure_document_id ?? null,
    state: body.state ?? { type: 'SCHEDULED', state_details: { scheduled_time: now } },
  };
}
