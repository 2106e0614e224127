import type { BatonClient } from '../../../client/index.js';
import { inspectFlows, type InspectedFlow, type InspectOutcome } from '../../../deploy/inspectFlows.js';
import type { DeployProblem } from '../../../deploy/problems.js';
import { relativeEntrypoint } from '../../../deploy/request.js';
import { originOf, type CompleteSpec, type DeploySpec } from '../../../deploy/spec.js';
import { color, println } from '../../output.js';
import { askGitPull } from './wizardGit.js';
import { chooseEntrypoint } from './wizardFlow.js';
import { choosePool } from './wizardPool.js';
import { askParameters } from './wizardParams.js';
import type { Prompts } from './wizardPrompts.js';
import { askSchedules } from './wizardSchedules.js';

export interface WizardContext {
  root: string;
  api: BatonClient;
  /** baton.yaml as the user names it. */
  file: string;
  defaultPool: string | undefined;
  /** Throws the problem the way every other deploy problem is reported. */
  fail: (problem: DeployProblem) => never;
}

export interface WizardResult {
  spec: CompleteSpec;
  flow: InspectedFlow;
  inspected: Map<string, InspectOutcome>;
  save: boolean;
}

const FORBIDDEN = /[/%&><]/;

/**
 * Asks for what the options and baton.yaml left open, in Prefect's order: the flow, the
 * deployment's name, a schedule, the work pool, pulling the code from git, default parameters,
 * and saving to baton.yaml. A new deployment gets every question; a baton.yaml entry only those
 * it cannot do without (the file is its source of truth).
 */
export async function runWizard(ctx: WizardContext, p: Prompts, spec: DeploySpec, isNew: boolean): Promise<WizardResult> {
  const inspected = new Map<string, InspectOutcome>();
  let flow: InspectedFlow | undefined;
  while (!flow) {
    const choosing = spec.entrypoint === undefined;
    const entrypoint = choosing ? await chooseEntrypoint(p, ctx.root) : (spec.entrypoint as string);
    const rel = relativeEntrypoint(ctx.root, entrypoint);
    const outcome = (await inspectFlows(ctx.root, [rel])).get(rel) as InspectOutcome;
    inspected.set(rel, outcome);
    if (outcome.ok) {
      spec.entrypoint = rel;
      if (choosing) spec.origins.entrypoint = { kind: 'wizard' };
      flow = outcome.flow;
    } else if (choosing) {
      println(color.red(outcome.error));
    } else {
      ctx.fail({ origin: originOf(spec, 'entrypoint'), message: outcome.error });
    }
  }
  println(color.dim(`Flow '${flow.name}' (${spec.entrypoint})${flow.description ? `: ${flow.description}` : ''}`));

  if (spec.name === undefined) {
    spec.name = (
      await p.input({
        message: 'Deployment name:',
        default: 'default',
        validate: (v) => (v.trim() === '' ? 'Enter a name.' : FORBIDDEN.test(v) ? 'A deployment name must not contain / % & > <.' : true),
      })
    ).trim();
    spec.origins.name = { kind: 'wizard' };
  }
  if (isNew && spec.schedules.length === 0) {
    spec.schedules = (await askSchedules(p)).map((config) => ({ config, origin: { kind: 'wizard' } as const }));
  }
  if (spec.pool === undefined) {
    spec.pool = await choosePool(p, ctx.api, ctx.defaultPool);
    spec.origins.pool = { kind: 'wizard' };
  }
  if (isNew && spec.pullSteps === undefined) {
    const steps = await askGitPull(p, ctx.root);
    if (steps) {
      spec.pullSteps = steps;
      spec.origins.pullSteps = { kind: 'wizard' };
    }
  }
  if (isNew && Object.keys(spec.parameters).length === 0) {
    spec.parameters = await askParameters(p, flow);
    spec.origins.parameters = { kind: 'wizard' };
  }
  const save = isNew ? await p.confirm({ message: `Save this deployment to ${ctx.file} (so \`baton deploy -n ${flow.name}/${spec.name}\` repeats it)?`, default: true }) : false;
  return { spec: spec as CompleteSpec, flow, inspected, save };
}
