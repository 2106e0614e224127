import type { DiscoveredFlow } from './discovery.js';

/** What `baton init` writes: where the code comes from and which flows to offer as examples. */
export interface StarterOptions {
  projectName: string;
  batonVersion: string;
  /** A git repository to clone, or the absolute directory workers should run in. */
  source: { kind: 'git'; repository: string; branch: string | null } | { kind: 'directory'; directory: string };
  /** The work pool the example deployments use. */
  workPool: string;
  flows: readonly DiscoveredFlow[];
}

/** More examples than this make the starter harder to read, not more useful. */
const MAX_EXAMPLES = 25;

const PLAIN_SCALAR = /^[A-Za-z_][\w.-]*$/;
const YAML_WORDS = /^(?:true|false|null|yes|no|on|off|y|n)$/i;

/**
 * A YAML scalar that reads back as exactly this string: plain when that is unambiguous, else a
 * JSON string (which is a valid YAML double-quoted scalar).
 */
function q(text: string): string {
  return PLAIN_SCALAR.test(text) && !YAML_WORDS.test(text) ? text : JSON.stringify(text);
}

/**
 * A commented starter baton.yaml. Everything active in it is valid as it is (no deployments
 * yet); each discovered flow appears as a commented example deployment to uncomment.
 */
export function renderStarterYaml(o: StarterOptions): string {
  const lines: string[] = [
    '# baton.yaml: how `baton deploy` deploys the flows of this project.',
    "# It follows Prefect's prefect.yaml: name, build/push/pull steps, and a list of deployments.",
    '',
    '# Bookkeeping only.',
    `name: ${q(o.projectName)}`,
    `baton-version: ${q(o.batonVersion)}`,
    '',
    '# YAML anchors to reuse below (`*name`, or `<<: *name` to merge and override keys).',
    '# Nothing here is read unless it is referenced.',
    'definitions:',
    '  work_pools:',
    '    default: &default_pool',
    `      name: ${q(o.workPool)}  # create it with: baton work-pool create ${shellWord(o.workPool)} --type process`,
    '      work_queue_name: default',
    '  schedules:',
    '    nightly: &nightly',
    '      cron: "0 3 * * *"',
    '      timezone: UTC',
    '',
    '# baton has no build or push steps: workers run your TypeScript as it is.',
    'build: null',
    'push: null',
    '',
    "# How a worker gets this project's code before it runs a flow. A deployment can have its own",
    '# `pull:` instead; `pull: []` means no pull steps at all.',
    'pull:',
    ...pullLines(o.source),
    '',
    'deployments:',
    ...exampleLines(o.flows),
  ];
  return `${lines.join('\n')}\n`;
}

function pullLines(source: StarterOptions['source']): string[] {
  if (source.kind === 'git') {
    return [
      '  - baton.deployments.steps.git_clone:',
      `      repository: ${q(source.repository)}`,
      ...(source.branch ? [`      branch: ${q(source.branch)}`] : []),
      '      # A private repository needs a token, read from the worker\'s environment when a run starts:',
      '      # access_token: "{{ $GIT_TOKEN }}"',
    ];
  }
  return ['  - baton.deployments.steps.set_working_directory:', `      directory: ${q(source.directory)}`];
}

function exampleLines(flows: readonly DiscoveredFlow[]): string[] {
  const lines = [
    '  # Uncomment a deployment (delete the leading "# "), then run `baton deploy -n FLOW/NAME`',
    '  # (or `baton deploy --all`). A schedule has one of: cron, interval (seconds, "PT1H" or',
    '  # "01:00:00") or rrule, with optional timezone, active, catchup (all|latest|none) and',
    '  # max_active_runs, max_scheduled_runs.',
  ];
  if (flows.length === 0) {
    lines.push(
      "  # No flows were found yet: export one made with flow() from 'baton', for example",
      '  # flows/etl.ts:etl, and list it here.',
      '  #',
      ...example('etl', 'flows/etl.ts:etl'),
    );
    return lines;
  }
  for (const flow of flows.slice(0, MAX_EXAMPLES)) {
    lines.push('  #', ...example(flow.name, flow.entrypoint));
  }
  if (flows.length > MAX_EXAMPLES) lines.push('  #', `  # …and ${flows.length - MAX_EXAMPLES} more flows: list them with \`baton deploy\`.`);
  return lines;
}

function example(flowName: string, entrypoint: string): string[] {
  return [
    `  # - name: default                   # baton deploy -n ${shellWord(`${flowName}/default`)}`,
    `  #   entrypoint: ${/^[\w./:$-]+$/.test(entrypoint) ? entrypoint : q(entrypoint)}`,
    '  #   description: null',
    '  #   tags: []',
    '  #   parameters: {}',
    '  #   work_pool: *default_pool',
    '  #   schedules:',
    '  #     - *nightly',
  ];
}

function shellWord(word: string): string {
  return /^[\w./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}
