import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { BadRequestError } from '../../../domain/errors.js';
import { deploymentOptionsGiven, parseCliOverrides, type DeployFlags } from '../../../deploy/cliOptions.js';
import { applyOverrides } from '../../../deploy/merge.js';
import { DeployProblemsError, formatDeployProblem, throwIfProblems, type DeployProblem, type LineLocator } from '../../../deploy/problems.js';
import type { InspectOutcome } from '../../../deploy/inspectFlows.js';
import type { Project } from '../../../deploy/project.js';
import { isComplete, originOf, type CompleteSpec, type DeploySpec } from '../../../deploy/spec.js';
import { client, settings } from '../../context.js';
import { println } from '../../output.js';
import { isInteractive } from '../../prompts.js';
import { selectSpecs } from './select.js';

/**
 * `baton deploy`: choose the deployments (options, baton.yaml, or the wizard on a terminal),
 * check all of them (flow, schedules, parameters, pool) before writing any, then write them or,
 * with --dry-run, print what would change. Cheap checks come first and the heavy modules are
 * loaded after them, so a missing option fails at once.
 */
export async function runDeploy(entrypoint: string | undefined, flags: DeployFlags, fileGiven: boolean): Promise<void> {
  const root = process.cwd();
  // A dry run only checks: it never prompts, so it never creates a pool or writes baton.yaml.
  const interactive = isInteractive() && !flags.yes && !flags.dryRun;
  const file = flags.batonFile ?? 'baton.yaml';
  const path = resolve(root, file);

  const { overrides, problems: flagProblems } = parseCliOverrides(entrypoint, flags);
  const noLines: LineLocator = () => undefined;
  throwIfProblems(flagProblems, file, noLines);

  const project: Project =
    fileGiven || existsSync(path)
      ? (await import('../../../deploy/project.js')).loadProject(path, file, fileGiven, process.env)
      : { file, config: null, pullStepsOf: () => undefined, locate: noLines };
  const problemsOf = (problems: DeployProblem[]): void => throwIfProblems(problems, file, project.locate);

  const selection = await selectSpecs({ root, project, entrypoint, names: flags.name ?? [], all: Boolean(flags.all), interactive });
  let specs: DeploySpec[];
  let isNew: boolean;
  if (selection.kind === 'pick') {
    const { pickSpec } = await import('./pick.js');
    const picked = await wizardStep(() => pickSpec(project));
    specs = [picked.spec];
    isNew = picked.isNew;
  } else if (selection.kind === 'new') {
    specs = [selection.spec];
    isNew = true;
  } else {
    specs = selection.specs;
    isNew = selection.adHoc;
  }

  if (specs.length > 1) {
    const given = deploymentOptionsGiven(entrypoint, flags);
    if (given.length > 0) {
      throw new BadRequestError(
        `${given.join(', ')} ${given.length === 1 ? 'describes' : 'describe'} one deployment, and ${specs.length} are selected: set ${given.length === 1 ? 'it' : 'them'} in ${file}, or select one deployment with --name.`,
      );
    }
  } else if (specs.length === 1) {
    const merged = applyOverrides(specs[0] as DeploySpec, overrides);
    problemsOf(merged.problems);
    specs = [merged.spec];
  }
  const defaultPool = settings().settings.BATON_DEFAULT_WORK_POOL_NAME ?? undefined;
  for (const spec of specs) {
    if (spec.pool === undefined && defaultPool) {
      spec.pool = defaultPool;
      spec.origins.pool = { kind: 'flag', flag: 'BATON_DEFAULT_WORK_POOL_NAME' };
    }
  }
  if (!interactive) requireValues(specs, problemsOf);

  const api = client();
  try {
    let complete: CompleteSpec[];
    let inspected: Map<string, InspectOutcome> | undefined;
    let save = false;
    let prompted = false;
    const only = specs[0];
    // The wizard runs only when something is missing: options that name the entrypoint, the
    // deployment and the pool deploy at once, on a terminal too.
    if (interactive && specs.length === 1 && only && !isComplete(only)) {
      const [{ runWizard }, { loadPrompts }] = await Promise.all([import('./wizard.js'), import('./wizardPrompts.js')]);
      const prompts = await loadPrompts();
      const fail = (p: DeployProblem): never => {
        throw new DeployProblemsError([formatDeployProblem(p, file, project.locate)]);
      };
      const result = await wizardStep(() => runWizard({ root, api, file, defaultPool, fail }, prompts, only, isNew));
      complete = [result.spec];
      inspected = result.inspected;
      save = result.save;
      prompted = true;
    } else {
      requireValues(specs, problemsOf);
      complete = specs as CompleteSpec[];
    }

    const [{ planDeployments }, { applyPlans }, report] = await Promise.all([
      import('../../../deploy/plan.js'),
      import('../../../deploy/apply.js'),
      import('./report.js'),
    ]);
    const { plans, problems } = await planDeployments({ root, specs: complete, api, ...(inspected ? { inspected } : {}) });
    problemsOf(problems);
    if (flags.dryRun) {
      report.printDryRun(plans);
      return;
    }
    const applied = await applyPlans(api, plans);
    report.printApplied(applied);
    if (save) {
      const { saveDeployment, yamlEntry } = await import('../../../deploy/saveYaml.js');
      const spec = complete[0] as CompleteSpec;
      const { replaced } = saveDeployment(path, yamlEntry(spec));
      println(`${replaced ? 'Updated' : 'Saved'} the deployment in ${file}.`);
    }
    await report.printNextSteps(api, applied);
    if (prompted && isNew) {
      const { printEquivalent } = await import('./equivalent.js');
      printEquivalent(complete[0] as CompleteSpec, applied[0]?.plan.label ?? '', save);
    }
  } finally {
    api.close();
  }
}

/** Off a terminal, every deployment needs an entrypoint, a name and a pool from options or the file. */
function requireValues(specs: readonly DeploySpec[], problemsOf: (p: DeployProblem[]) => void): void {
  const only = specs[0];
  if (specs.length === 1 && only && only.yamlIndex === null) {
    // A deployment made from options: one line naming the options to add.
    const missing = [only.entrypoint === undefined ? 'an entrypoint (path/to/file.ts:exportName)' : null, only.name === undefined ? '--name' : null, only.pool === undefined ? '--pool' : null].filter(
      (m): m is string => m !== null,
    );
    if (missing.length === 0) return;
    const poolHint = only.pool === undefined ? ' (or set a default pool: baton work-pool create NAME --set-as-default)' : '';
    throw new BadRequestError(`Missing ${missing.join(' and ')}: pass ${missing.length === 1 ? 'it' : 'them'}${poolHint}; prompts are only shown in an interactive terminal.`);
  }
  const problems: DeployProblem[] = [];
  for (const spec of specs) {
    if (spec.entrypoint === undefined) problems.push({ origin: originOf(spec, 'entrypoint'), message: 'required: path/to/file.ts:exportName' });
    if (spec.pool === undefined) {
      problems.push({ origin: originOf(spec, 'pool'), message: 'no work pool: set work_pool.name, pass --pool, or set a default (baton work-pool create NAME --set-as-default)' });
    }
  }
  problemsOf(problems);
}

/** Runs prompts, turning Ctrl-C into a plain "Cancelled" error. */
async function wizardStep<T>(step: () => Promise<T>): Promise<T> {
  const { cancelled } = await import('./wizardPrompts.js');
  try {
    return await step();
  } catch (err) {
    throw cancelled(err) ?? err;
  }
}
