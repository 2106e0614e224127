import { BadRequestError } from '../../../domain/errors.js';
import type { DeploymentConfig } from '../../../deploy/config/schema.js';
import { selectDeployments } from '../../../deploy/config/select.js';
import { discoverFlows, flowNameResolver, normalizeEntrypoint } from '../../../deploy/discovery.js';
import { specFromYaml } from '../../../deploy/merge.js';
import type { Project } from '../../../deploy/project.js';
import { emptySpec, type DeploySpec } from '../../../deploy/spec.js';

/**
 * Which deployments one `baton deploy` acts on (Prefect's rules, §5.1): `--all` takes every
 * baton.yaml entry; an entrypoint makes one deployment (based on the baton.yaml entry of the same
 * name and entrypoint, if any); `-n` picks entries; nothing picks the file's only entry. When a
 * terminal may ask instead, `ask` says what to ask for.
 */
export type Selection =
  | { kind: 'specs'; specs: DeploySpec[]; adHoc: boolean }
  /** Interactive only: choose among baton.yaml's entries or start a new deployment. */
  | { kind: 'pick' }
  /** Interactive only: a new deployment through the wizard (with the name, if one was given). */
  | { kind: 'new'; spec: DeploySpec };

export interface SelectInput {
  root: string;
  project: Project;
  entrypoint: string | undefined;
  names: readonly string[];
  all: boolean;
  interactive: boolean;
}

export async function selectSpecs(input: SelectInput): Promise<Selection> {
  const { project, entrypoint, names, all, interactive } = input;
  const config = project.config;
  const file = project.file;
  if (all) {
    if (names.length > 0) throw new BadRequestError('--all cannot be combined with --name: pass one or the other.');
    if (entrypoint !== undefined) throw new BadRequestError(`--all deploys the entries of ${file}: remove the entrypoint argument, or drop --all.`);
    if (!config) throw new BadRequestError(`--all deploys the entries of ${file}, and there is none here. Create one with \`baton init\`.`);
    if (config.deployments.length === 0) throw new BadRequestError(`${file} has no deployments to deploy.`);
    return { kind: 'specs', specs: config.deployments.map((d, i) => specFromYaml(d, i, project.pullStepsOf(i))), adHoc: false };
  }

  if (entrypoint !== undefined) {
    if (names.length > 1) throw new BadRequestError('With an entrypoint, pass one --name (the new deployment’s name).');
    const spec = adHocSpec(project, entrypoint, names[0]);
    return { kind: 'specs', specs: [spec], adHoc: spec.yamlIndex === null };
  }

  if (names.length > 0) {
    const plain = names.length === 1 && !/[*/]/.test(names[0] as string) ? (names[0] as string) : undefined;
    if (!config || config.deployments.length === 0) {
      if (interactive && plain !== undefined) return { kind: 'new', spec: named(project, plain) };
      throw new BadRequestError(
        `No ${file} deployment to select${config ? '' : ` (there is no ${file} here)`}: to deploy a new one, pass its entrypoint, e.g. baton deploy flows/etl.ts:etl -n ${names[0]}.`,
      );
    }
    const resolver = names.some((n) => n.includes('/')) ? flowNameResolver(await discoverFlows(input.root)) : undefined;
    const selection = selectDeployments(config, names, false, resolver);
    if (selection.problems.length > 0) {
      if (interactive && plain !== undefined) return { kind: 'new', spec: named(project, plain) };
      throw new BadRequestError(`${selection.problems.join('; ')}. To deploy a new deployment, pass its entrypoint too.`);
    }
    return { kind: 'specs', specs: selection.deployments.map((d) => specFromYaml(d, config.deployments.indexOf(d), project.pullStepsOf(config.deployments.indexOf(d)))), adHoc: false };
  }

  const entries = config?.deployments ?? [];
  if (config && entries.length === 1) return { kind: 'specs', specs: [specFromYaml(entries[0] as DeploymentConfig, 0, project.pullStepsOf(0))], adHoc: false };
  if (interactive) return entries.length > 1 ? { kind: 'pick' } : { kind: 'new', spec: named(project, undefined) };
  if (entries.length > 1) {
    throw new BadRequestError(`${file} has ${entries.length} deployments and no name was given: pass --name NAME (or 'flow/*'), or --all.`);
  }
  throw new BadRequestError(
    'Missing entrypoint: pass path/to/file.ts:exportName (or --name of a baton.yaml deployment); prompts are only shown in an interactive terminal.',
  );
}

/** A deployment made from an entrypoint (and maybe a name), based on the matching baton.yaml entry. */
function adHocSpec(project: Project, entrypoint: string, name: string | undefined): DeploySpec {
  let flowName: string | undefined;
  let deploymentName = name;
  if (name !== undefined && name.includes('/')) {
    flowName = name.slice(0, name.indexOf('/'));
    deploymentName = name.slice(name.indexOf('/') + 1);
  }
  const wanted = normalizeEntrypoint(entrypoint);
  const entries = project.config?.deployments ?? [];
  const index = deploymentName === undefined ? -1 : entries.findIndex((d) => d.name === deploymentName && (d.entrypoint === undefined || normalizeEntrypoint(d.entrypoint) === wanted));
  const spec = index >= 0 ? specFromYaml(entries[index] as DeploymentConfig, index, project.pullStepsOf(index)) : named(project, deploymentName);
  if (flowName !== undefined) spec.flowName = flowName;
  return spec;
}

/** A new deployment (no baton.yaml entry): the file's top-level pull steps still apply, as in Prefect. */
function named(project: Project, name: string | undefined): DeploySpec {
  const spec = emptySpec(null);
  if (name !== undefined) spec.name = name;
  const pull = project.pullStepsOf(null);
  if (pull !== undefined) spec.pullSteps = pull;
  return spec;
}
