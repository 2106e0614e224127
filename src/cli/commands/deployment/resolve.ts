import type { BatonClient } from '../../../client/index.js';
import { BadRequestError, NotFoundError } from '../../../domain/errors.js';
import type { Deployment } from '../../../domain/schemas/deployments.js';
import { requireUuid } from '../../runRef.js';

/** Deployments are addressed as `flow/deployment`, as in Prefect's CLI and UI. */
export function parseDeploymentName(name: string): { flow: string; deployment: string } {
  const parts = name.split('/');
  if (parts.length !== 2 || parts.some((p) => p.trim() === '')) {
    throw new BadRequestError("Invalid deployment name. Expected '<flow-name>/<deployment-name>'");
  }
  const [flow, deployment] = parts as [string, string];
  return { flow, deployment };
}

export function deploymentLabel(d: Pick<Deployment, 'flow_name' | 'name'>): string {
  return `${d.flow_name}/${d.name}`;
}

/** The deployment a command names, by `flow/deployment` or by `--id`: exactly one of them. */
export async function resolveDeployment(api: BatonClient, name: string | undefined, id: string | undefined): Promise<Deployment> {
  if (name !== undefined && id !== undefined) throw new BadRequestError("Pass either a deployment name ('flow/deployment') or --id, not both.");
  if (id !== undefined) {
    const deploymentId = requireUuid(id, 'deployment');
    try {
      return await api.deployments.read(deploymentId);
    } catch (err) {
      if (err instanceof NotFoundError) throw new NotFoundError(`Deployment with id '${deploymentId}' not found.`);
      throw err;
    }
  }
  if (name === undefined) throw new BadRequestError("Missing deployment: pass its name as 'flow/deployment' or --id UUID.");
  const { flow, deployment } = parseDeploymentName(name);
  try {
    return await api.deployments.readByName(flow, deployment);
  } catch (err) {
    if (err instanceof NotFoundError) throw new NotFoundError(`Deployment '${name}' not found. List deployments with \`baton deployment ls\`.`);
    throw err;
  }
}
