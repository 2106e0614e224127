import type { Command } from 'commander';
import type { BatonClient } from '../../client/index.js';
import { BadRequestError, NotFoundError } from '../../domain/errors.js';
import type { Deployment } from '../../domain/schemas/deployments.js';
import { client } from '../context.js';
import { color, printJson, println, printTable, wantsJson } from '../output.js';
import { collect, nonNegativeNumber } from '../parse.js';
import { confirmAction, isInteractive } from '../prompts.js';
import { deploymentLabel, resolveDeployment } from './deployment/resolve.js';
import { runDeployment, type RunOptions } from './deployment/run.js';
import { registerDeploymentSchedule } from './deploymentSchedule.js';

const PAGE_SIZE = 200;

/** Every deployment (of the given flows), page by page. */
async function allDeployments(api: BatonClient, flowNames: string[]): Promise<Deployment[]> {
  const found: Deployment[] = [];
  for (let offset = 0; ; offset += PAGE_SIZE) {
    const page = await api.deployments.list({
      ...(flowNames.length > 0 ? { flows: { name: { any_: flowNames } } } : {}),
      limit: PAGE_SIZE,
      offset,
    });
    found.push(...page);
    if (page.length < PAGE_SIZE) return found;
  }
}

/**
 * `delete --all`: every deployment, after one confirmation. Off a terminal it needs --yes: a single
 * deletion proceeds there as in Prefect, but wiping everything by accident from a script is worse.
 */
async function deleteAllDeployments(api: BatonClient, yes: boolean | undefined): Promise<void> {
  const deployments = await allDeployments(api, []);
  const count = `${deployments.length} deployment${deployments.length === 1 ? '' : 's'}`;
  if (deployments.length === 0) {
    println('There are no deployments to delete.');
    return;
  }
  if (!yes && !isInteractive()) throw new BadRequestError(`Refusing to delete all ${count} without confirmation: pass --yes.`);
  if (!(await confirmAction(`Are you sure you want to delete all ${count}?`, yes))) {
    println('Deletion aborted.');
    return;
  }
  for (const deployment of deployments) {
    try {
      await api.deployments.delete(deployment.id);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err; // deleted meanwhile
    }
  }
  println(`Deleted ${count}.`);
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function registerDeployment(program: Command): void {
  const group = program.command('deployment').alias('deployments').description('List, inspect, run, pause and delete deployments');

  group
    .command('ls [flow-names...]')
    .description('List deployments (of the given flows)')
    .option('--by-created', 'newest first instead of by flow and deployment name')
    .option('-o, --output <format>', 'json for machine-readable output')
    .action(async (flowNames: string[], opts: { byCreated?: boolean; output?: string }) => {
      const json = wantsJson(opts.output);
      const deployments = await allDeployments(client(), flowNames);
      deployments.sort(opts.byCreated ? (a, b) => byText(b.created, a.created) : (a, b) => byText(a.flow_name, b.flow_name) || byText(a.name, b.name));
      if (json) return printJson(deployments);
      printTable(
        ['Name', 'ID', 'Work Pool'],
        deployments.map((d) => [`${d.flow_name}/${color.bold(d.name)}${d.paused ? ` ${color.red('(**)')}` : ''}`, d.id, d.work_pool_name]),
        { title: 'Deployments', caption: '(**) denotes a paused deployment' },
      );
    });

  group
    .command('inspect <name>')
    .description("Show a deployment, named 'flow/deployment'")
    .option('-o, --output <format>', 'json for machine-readable output')
    .action(async (name: string, opts: { output?: string }) => {
      wantsJson(opts.output);
      // The deployment as the API returns it: the same for people and scripts.
      printJson(await resolveDeployment(client(), name, undefined));
    });

  group
    .command('run [name]')
    .description("Create a run of a deployment ('flow/deployment' or --id)")
    .option('--id <uuid>', 'the deployment ID instead of its name')
    .option('-p, --param <key=value>', 'a parameter; the value is read as JSON, else as text (repeatable)', collect)
    .option('--params <json>', "all parameters as a JSON object, or '-' to read it from stdin (--param wins)")
    .option('--start-in <duration>', 'start later, e.g. "5 minutes", "in 2 hours", "30s", "1h30m"')
    .option('--start-at <time>', 'start at a time, e.g. "2026-08-01 17:30" (local) or 2026-08-01T15:30:00Z')
    .option('-t, --tag <tag>', 'a tag for the run, added to the deployment tags (repeatable)', collect)
    .option('--job-variable <key=value>', "override the pool's job template for this run; value as JSON, else text (repeatable)", collect)
    .option('--flow-run-name <name>', 'the run name; {param} inserts a parameter, e.g. "etl-{day}"')
    .option('--idempotency-key <key>', 'a second run with the same key returns the first one')
    .option('--watch', 'follow the run until it ends, printing states and logs (exit 0 only if it completes)')
    .option('--watch-timeout <seconds>', 'with --watch: give up after this many seconds (exit 1)', nonNegativeNumber)
    .action((name: string | undefined, opts: RunOptions) => runDeployment(name, opts));

  group
    .command('delete [name]')
    .description("Delete a deployment ('flow/deployment' or --id), or every deployment with --all")
    .option('--id <uuid>', 'the deployment ID instead of its name')
    .option('--all', 'every deployment (off a terminal this needs --yes)')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (name: string | undefined, opts: { id?: string; all?: boolean; yes?: boolean }) => {
      const api = client();
      if (opts.all) {
        if (name !== undefined || opts.id !== undefined) throw new BadRequestError('Pass a deployment name, --id or --all, not several.');
        await deleteAllDeployments(api, opts.yes);
        return;
      }
      const deployment = await resolveDeployment(api, name, opts.id);
      const label = deploymentLabel(deployment);
      if (!(await confirmAction(`Are you sure you want to delete deployment '${label}'?`, opts.yes))) {
        println('Deletion aborted.');
        return;
      }
      await api.deployments.delete(deployment.id);
      println(`Deleted deployment '${label}'.`);
    });

  for (const [verb, done, describe] of [
    ['pause', 'Paused', 'Pause a deployment: no new scheduled runs until it is resumed'],
    ['resume', 'Resumed', 'Resume a paused deployment'],
  ] as const) {
    group
      .command(`${verb} [name]`)
      .description(`${describe} ('flow/deployment' or --id)`)
      .option('--id <uuid>', 'the deployment ID instead of its name')
      .action(async (name: string | undefined, opts: { id?: string }) => {
        const api = client();
        const deployment = await resolveDeployment(api, name, opts.id);
        await (verb === 'pause' ? api.deployments.pause(deployment.id) : api.deployments.resume(deployment.id));
        println(`${done} deployment '${deploymentLabel(deployment)}'.`);
      });
  }

  registerDeploymentSchedule(group);
}
