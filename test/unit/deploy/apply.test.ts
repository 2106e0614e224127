import { afterAll, beforeAll, expect, test } from 'vitest';
import { BatonClient } from '../../../src/client/index.js';
import { applyPlans, PartialDeployError } from '../../../src/deploy/apply.js';
import type { InspectedFlow } from '../../../src/deploy/inspectFlows.js';
import type { DeploymentPlan } from '../../../src/deploy/plan.js';
import { buildRequest } from '../../../src/deploy/request.js';
import { emptySpec, type CompleteSpec } from '../../../src/deploy/spec.js';
import { testApp, type TestApp } from '../../helpers/app.js';

/** Writing plans against the real app: when a write fails midway, the error says what was applied. */
let t: TestApp;
let api: BatonClient;

const FLOW: InspectedFlow = { name: 'etl', description: null, version: null, parameterSchema: { type: 'object', properties: {} } };

function plan(name: string, pool: string): DeploymentPlan {
  const spec: CompleteSpec = { ...emptySpec(), name, entrypoint: 'flows/etl.ts:etl', pool };
  const request = buildRequest(spec, FLOW, '/srv/project', []);
  return { spec, flow: FLOW, label: `etl/${name}`, request, existing: null, flowExists: false, lines: [], notes: [] };
}

beforeAll(async () => {
  t = await testApp();
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  api = new BatonClient(`${address}/api`);
  expect((await t.call('POST', '/api/work_pools/', { name: 'pool-a', type: 'process' })).status).toBe(201);
});
afterAll(async () => {
  api?.close();
  await t?.close();
});

test('every plan is written in order: the flow, then its deployment', async () => {
  const applied = await applyPlans(api, [plan('one', 'pool-a'), plan('two', 'pool-a')]);
  expect(applied.map((a) => [a.plan.label, a.created, a.deployment.work_pool_name])).toEqual([
    ['etl/one', true, 'pool-a'],
    ['etl/two', true, 'pool-a'],
  ]);
});

test('a write that fails midway names the deployments applied and those not applied', async () => {
  let error: unknown;
  try {
    await applyPlans(api, [plan('three', 'pool-a'), plan('four', 'gone'), plan('five', 'pool-a')]);
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(PartialDeployError);
  const e = error as PartialDeployError;
  expect(e.applied).toEqual(['etl/three']);
  expect(e.failed).toBe('etl/four');
  expect(e.notApplied).toEqual(['etl/five']);
  expect(e.message.split('\n').slice(1, 3)).toEqual(['  applied (1): etl/three', '  not applied (2): etl/four, etl/five']);
  expect((await api.deployments.readByName('etl', 'three')).name).toBe('three');
  await expect(api.deployments.readByName('etl', 'five')).rejects.toThrow(/not found/);
});
