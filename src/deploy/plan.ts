import type { BatonClient } from '../client/index.js';
import { NotFoundError } from '../domain/errors.js';
import { validateJobVariables } from '../domain/jobTemplate.js';
import { nameSchema } from '../domain/schemas/common.js';
import type { Deployment } from '../domain/schemas/deployments.js';
import type { WorkPool } from '../domain/schemas/workPools.js';
import { shellWord } from './commandLine.js';
import { changeLines, creationLines, type DiffLine } from './diff.js';
import { inspectFlows, type InspectedFlow, type InspectOutcome } from './inspectFlows.js';
import type { DeployProblem } from './problems.js';
import { buildRequest, checkParameters, relativeEntrypoint, type DeploymentRequest } from './request.js';
import { checkSchedules } from './schedules.js';
import { originOf, type CompleteSpec } from './spec.js';

/** One deployment, checked and ready to write. */
export interface DeploymentPlan {
  spec: CompleteSpec;
  flow: InspectedFlow;
  /** `flow/name`. */
  label: string;
  request: DeploymentRequest;
  existing: Deployment | null;
  flowExists: boolean;
  lines: DiffLine[];
  notes: string[];
}

export interface PlanInput {
  root: string;
  specs: readonly CompleteSpec[];
  api: BatonClient;
  /** Entrypoints the wizard already inspected. */
  inspected?: Map<string, InspectOutcome>;
}

const ENTRYPOINT = /^.+\.(?:ts|mts|js|mjs):[A-Za-z_$][\w$]*$/;

/**
 * Checks every deployment before anything is written, and reports every problem at once: the
 * name, the schedules, that the entrypoint imports and exports a flow, the default parameters
 * against the flow's schema, that the pool exists and the job variables fit its template. Then
 * reads what the server has, to say what would change. Writes nothing.
 */
export async function planDeployments(input: PlanInput): Promise<{ plans: DeploymentPlan[]; problems: DeployProblem[] }> {
  const { root, specs, api } = input;
  const problems: DeployProblem[] = [];
  const schedulesOf = specs.map((spec) => {
    const checked = checkSchedules(spec.schedules);
    problems.push(...checked.problems);
    return checked.schedules;
  });
  for (const spec of specs) {
    const name = nameSchema.safeParse(spec.name);
    if (!name.success) problems.push({ origin: originOf(spec, 'name'), message: `'${spec.name}' ${name.error.issues[0]?.message ?? 'is not a valid name'}` });
    if (!ENTRYPOINT.test(spec.entrypoint)) {
      problems.push({ origin: originOf(spec, 'entrypoint'), message: `expected path/to/file.ts:exportName (a .ts, .mts, .js or .mjs file, a colon, the export), got '${spec.entrypoint}'` });
    }
  }

  const wellFormed = specs.filter((s) => ENTRYPOINT.test(s.entrypoint)).map((s) => relativeEntrypoint(root, s.entrypoint));
  const cached = input.inspected ?? new Map<string, InspectOutcome>();
  const missing = wellFormed.filter((e) => !cached.has(e));
  const outcomes = new Map([...cached, ...(await inspectFlows(root, missing))]);
  const pools = await readPools(api, [...new Set(specs.map((s) => s.pool))]);

  const flows: (InspectedFlow | null)[] = specs.map((spec) => {
    if (!ENTRYPOINT.test(spec.entrypoint)) return null;
    const outcome = outcomes.get(relativeEntrypoint(root, spec.entrypoint));
    if (!outcome || !outcome.ok) {
      problems.push({ origin: originOf(spec, 'entrypoint'), message: outcome && !outcome.ok ? outcome.error : 'was not inspected' });
      return null;
    }
    const flow = outcome.flow;
    if (spec.flowName !== undefined && spec.flowName !== flow.name) {
      problems.push({
        origin: spec.yamlIndex !== null ? { kind: 'yaml', path: ['deployments', spec.yamlIndex, 'flow_name'] } : originOf(spec, 'entrypoint'),
        message: `'${spec.flowName}' is not the name of the flow at ${spec.entrypoint}, which is '${flow.name}'`,
      });
    }
    problems.push(...checkParameters(spec, flow).map((p) => ({ ...p, label: `${flow.name}/${spec.name}` })));
    return flow;
  });

  specs.forEach((spec) => {
    const pool = pools.get(spec.pool);
    if (pool === undefined) return;
    if (pool === null) {
      problems.push({
        origin: originOf(spec, 'pool'),
        message: `work pool '${spec.pool}' does not exist: create it with \`baton work-pool create ${shellWord(spec.pool)} --type process\``,
      });
      return;
    }
    for (const d of validateJobVariables(pool.base_job_template, spec.jobVariables, [])) {
      problems.push({ origin: originOf(spec, 'jobVariables'), ...(d.loc.length > 0 ? { subpath: d.loc } : {}), message: d.msg });
    }
  });

  const seen = new Map<string, number>();
  specs.forEach((spec, i) => {
    const flow = flows[i];
    if (!flow) return;
    const label = `${flow.name}/${spec.name}`;
    if (seen.has(label)) problems.push({ origin: originOf(spec, 'name'), message: `deploys '${label}' a second time (deployment names are unique per flow)` });
    seen.set(label, i);
  });
  if (problems.length > 0) return { plans: [], problems };

  const plans: DeploymentPlan[] = [];
  for (const [i, spec] of specs.entries()) {
    const flow = flows[i] as InspectedFlow;
    const request = buildRequest(spec, flow, root, schedulesOf[i] ?? []);
    const existing = await orNull(api.deployments.readByName(flow.name, spec.name));
    const flowExists = existing !== null || (await orNull(api.flows.readByName(flow.name))) !== null;
    const notes: string[] = [];
    if (request.work_queue_name && (await orNull(api.workPools.readQueue(spec.pool, request.work_queue_name))) === null) {
      notes.push(`work queue '${request.work_queue_name}' will be created in pool '${spec.pool}'`);
    }
    if (!flowExists) notes.push(`flow '${flow.name}' will be created`);
    plans.push({ spec, flow, label: `${flow.name}/${spec.name}`, request, existing, flowExists, lines: existing ? changeLines(existing, request) : creationLines(request), notes });
  }
  return { plans, problems: [] };
}

async function readPools(api: BatonClient, names: string[]): Promise<Map<string, WorkPool | null>> {
  const entries = await Promise.all(names.map(async (name) => [name, await orNull(api.workPools.read(name))] as const));
  return new Map(entries);
}

/** The value, or null when the server says it does not exist. */
async function orNull<T>(promise: Promise<T>): Promise<T | null> {
  try {
    return await promise;
  } catch (err) {
    if (err instanceof NotFoundError) return null;
    throw err;
  }
}
