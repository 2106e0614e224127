import type { BatonClient } from '../client/index.js';
import { BatonError } from '../domain/errors.js';
import type { Deployment } from '../domain/schemas/deployments.js';
import type { DeploymentPlan } from './plan.js';

export interface Applied {
  plan: DeploymentPlan;
  deployment: Deployment;
  created: boolean;
}

/** A write failed after others succeeded: says exactly which deployments were applied. */
export class PartialDeployError extends BatonError {
  override readonly name = 'PartialDeployError';
  constructor(
    readonly applied: readonly string[],
    readonly failed: string,
    readonly notApplied: readonly string[],
    cause: string,
  ) {
    super(
      [
        `Deploying '${failed}' failed: ${cause}`,
        `  applied (${applied.length}): ${applied.length > 0 ? applied.join(', ') : 'none'}`,
        `  not applied (${notApplied.length + 1}): ${[failed, ...notApplied].join(', ')}`,
        '  Fix the problem and deploy again: deployments already applied are updated in place.',
      ].join('\n'),
    );
  }
}

/**
 * Writes the plans in order: the flow (upserted by name), then the deployment (upserted by flow
 * and name). Everything was checked before, so a failure here is the server changing under us
 * or going away; the error then names what was and was not applied.
 */
export async function applyPlans(api: BatonClient, plans: readonly DeploymentPlan[]): Promise<Applied[]> {
  const applied: Applied[] = [];
  for (const [i, plan] of plans.entries()) {
    try {
      const flow = await api.flows.create(plan.flow.name);
      const deployment = await api.deployments.upsert({ ...plan.request, flow_id: flow.id });
      applied.push({ plan, deployment, created: plan.existing === null });
    } catch (err) {
      if (plans.length === 1) throw err;
      const message = err instanceof Error ? err.message : String(err);
      throw new PartialDeployError(
        applied.map((a) => a.plan.label),
        plan.label,
        plans.slice(i + 1).map((p) => p.label),
        message,
      );
    }
  }
  return applied;
}
