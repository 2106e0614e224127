import type { BatonConfig, DeploymentConfig } from './schema.js';

/** The flow name behind an entrypoint (from discovery), or undefined when it is not known. */
export type FlowNameResolver = (entrypoint: string) => string | undefined;

export interface DeploymentSelection {
  /** In file order, each at most once. */
  deployments: DeploymentConfig[];
  /** Empty when the selection is usable; otherwise one message per problem. */
  problems: string[];
}

/**
 * Which baton.yaml deployments `baton deploy` acts on (Prefect's `-n/--name` and `--all`, §5.1):
 * `-n name`, `-n flow/name`, and `*` globs in either part (`-n 'etl/*'`, `-n '*-nightly'`). A
 * flow part matches `flow_name` when the entry has one, else the resolver's answer for its
 * entrypoint, else the entrypoint's export name; `-` and `_` match each other there, as in
 * Prefect. Without names and `--all`, a file with a single deployment selects it; with several
 * it is a problem (interactive pickers should ask before calling this).
 *
 * Unlike Prefect, a name that matches nothing is always a problem listing the available ones,
 * never silently ignored.
 */
export function selectDeployments(
  config: BatonConfig,
  names: readonly string[],
  all: boolean,
  resolveFlowName: FlowNameResolver = () => undefined,
): DeploymentSelection {
  const entries = config.deployments;
  const flowOf = (d: DeploymentConfig): string | undefined => flowNameOf(d, resolveFlowName);
  const available = (): string =>
    entries.length === 0 ? 'baton.yaml has no deployments' : `available: ${entries.map((d) => label(d, flowOf(d))).join(', ')}`;

  if (all && names.length > 0) {
    return { deployments: [], problems: ['--all cannot be combined with --name: pass one or the other'] };
  }
  if (all) return { deployments: [...entries], problems: [] };
  if (names.length === 0) {
    if (entries.length <= 1) return { deployments: [...entries], problems: [] };
    return {
      deployments: [],
      problems: [`baton.yaml has ${entries.length} deployments and no name was given: pass --name NAME (or 'flow/*') or --all; ${available()}`],
    };
  }

  const picked = new Set<number>();
  const problems: string[] = [];
  for (const name of names) {
    const matcher = nameMatcher(name);
    let matched = false;
    entries.forEach((d, i) => {
      if (matcher(d.name, flowOf(d))) {
        picked.add(i);
        matched = true;
      }
    });
    if (!matched) problems.push(`no deployment matches '${name}'; ${available()}`);
  }
  if (problems.length > 0) return { deployments: [], problems };
  return { deployments: entries.filter((_, i) => picked.has(i)), problems: [] };
}

/** `flow_name`, else the resolver's answer, else the export name in the entrypoint. */
export function flowNameOf(d: DeploymentConfig, resolveFlowName: FlowNameResolver): string | undefined {
  if (d.flow_name) return d.flow_name;
  if (!d.entrypoint) return undefined;
  return resolveFlowName(d.entrypoint) ?? d.entrypoint.slice(d.entrypoint.lastIndexOf(':') + 1);
}

function label(d: DeploymentConfig, flow: string | undefined): string {
  return flow === undefined ? d.name : `${flow}/${d.name}`;
}

type Matcher = (deploymentName: string, flowName: string | undefined) => boolean;

function nameMatcher(pattern: string): Matcher {
  const slash = pattern.indexOf('/');
  const deploymentPart = slash < 0 ? pattern : pattern.slice(slash + 1);
  const matchDeployment = partMatcher(deploymentPart, (s) => s);
  if (slash < 0) return (name) => matchDeployment(name);
  const normalizeFlow = (s: string) => s.replace(/-/g, '_');
  const matchFlow = partMatcher(pattern.slice(0, slash), normalizeFlow);
  return (name, flow) => flow !== undefined && matchFlow(flow) && matchDeployment(name);
}

function partMatcher(part: string, normalize: (s: string) => string): (value: string) => boolean {
  const wanted = normalize(part);
  if (!wanted.includes('*')) return (value) => normalize(value) === wanted;
  const source = wanted
    .split('*')
    .map((piece) => piece.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const regex = new RegExp(`^${source}$`);
  return (value) => regex.test(normalize(value));
}
