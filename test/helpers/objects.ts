import type { TestApp } from './app.js';

/** Small builders for API objects, through the real endpoints. */
export async function createPool(t: TestApp, name = 'pool', extra: Record<string, unknown> = {}) {
  const res = await t.call('POST', '/api/work_pools/', { name, type: 'process', ...extra });
  if (res.status !== 201) throw new Error(`pool: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function createFlow(t: TestApp, name = 'etl') {
  return (await t.call('POST', '/api/flows/', { name })).body;
}

export const PARAM_SCHEMA = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    count: { type: 'integer', minimum: 0 },
    day: { type: 'string', default: 'today' },
  },
  required: ['name'],
  additionalProperties: false,
};

export async function createDeployment(t: TestApp, extra: Record<string, unknown> = {}, flowName = 'etl') {
  const flow = await createFlow(t, flowName);
  const res = await t.call('POST', '/api/deployments/', {
    name: 'nightly',
    flow_id: flow.id,
    entrypoint: 'flows/etl.ts:etl',
    work_pool_name: 'pool',
    parameter_openapi_schema: PARAM_SCHEMA,
    parameters: { name: 'world' },
    ...extra,
  });
  if (res.status !== 201 && res.status !== 200) throw new Error(`deployment: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function createRun(t: TestApp, deploymentId: string, body: Record<string, unknown> = {}) {
  const res = await t.call('POST', `/api/deployments/${deploymentId}/create_flow_run`, body);
  if (res.status !== 201 && res.status !== 200) throw new Error(`run: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function setState(t: TestApp, runId: string, state: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return t.call('POST', `/api/flow_runs/${runId}/set_state`, { state, ...extra });
}

/**
 * `count` finished runs of a deployment written straight into the table, for a history longer
 * than a delete batch without thousands of API calls.
 */
export function insertFinishedRuns(t: TestApp, deployment: { id: string; flow_id: string }, count: number): void {
  const insert = t.store.db.prepare(
    `INSERT INTO flow_run (id, created, updated, name, flow_id, deployment_id, state_type, state_name, parameters, tags)
     VALUES (?, 0, 0, ?, ?, ?, 'COMPLETED', 'Completed', '{}', '[]')`,
  );
  t.store.db.transaction(() => {
    for (let i = 0; i < count; i++) insert.run(`00000000-0000-7000-8000-${String(i).padStart(12, '0')}`, `run-${i}`, deployment.flow_id, deployment.id);
  })();
}
