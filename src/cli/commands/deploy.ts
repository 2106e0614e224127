import type { Command } from 'commander';
import type { DeployFlags } from '../../deploy/cliOptions.js';
import { collect, positiveInt } from '../parse.js';

const HELP = `
Without a terminal (CI), every value must come from options or baton.yaml: a missing one is an
error naming its option, never a prompt. On a terminal, whatever is missing is asked for.

Examples:
  baton deploy                                   # the wizard: pick a flow, a pool, a schedule…
  baton deploy flows/etl.ts:etl -n nightly -p my-pool --cron '0 6 * * *' --timezone Europe/Berlin
  baton deploy -n etl/nightly                    # an entry of baton.yaml ('etl/*' globs too)
  baton deploy --all --dry-run                   # check every entry, print what would change
`;

export function registerDeploy(program: Command): void {
  program
    .command('deploy [entrypoint]')
    .description('Create or update deployments: from options, from baton.yaml, or with a wizard on a terminal')
    .option('-n, --name <name>', "deployment name; with baton.yaml: an entry's name, 'flow/name' or a glob (repeatable)", collect)
    .option('-p, --pool <name>', 'work pool (default: BATON_DEFAULT_WORK_POOL_NAME, set by work-pool create --set-as-default)')
    .option('-q, --work-queue <name>', "work queue in the pool (created if missing; default: the pool's default queue)")
    .option('--cron <expr>', 'a cron schedule (repeatable)', collect)
    .option('--interval <seconds>', 'an interval schedule in seconds, or PT1H / 01:00:00 (repeatable)', collect)
    .option('--rrule <rule>', 'an RFC 5545 recurrence rule schedule (repeatable)', collect)
    .option('--anchor-date <time>', 'when --interval schedules start counting (ISO-8601)')
    .option('--timezone <tz>', 'IANA time zone of the --cron/--interval/--rrule schedules (default UTC)')
    .option('--param <key=value>', 'a default parameter; the value is read as JSON, else as text (repeatable)', collect)
    .option('--params <json>', 'default parameters as one JSON object (instead of --param)')
    .option('-t, --tag <tag>', 'a tag (repeatable)', collect)
    .option('-d, --description <text>', "description (default: the flow's)")
    .option('--version <version>', "version (default: the flow's)")
    .option('--job-variable <key=value>', 'a job variable for the worker, e.g. env.KEY=value or working_dir=/srv/app (repeatable)', collect)
    .option('--concurrency-limit <n>', 'at most this many runs of the deployment at once', positiveInt)
    .option('--collision-strategy <strategy>', 'ENQUEUE (wait) or CANCEL_NEW when the limit is reached')
    .option('--enforce-parameter-schema', "refuse runs whose parameters do not fit the flow's schema (the default)")
    .option('--no-enforce-parameter-schema', "accept runs whatever their parameters (kept across redeploys until set again)")
    .option('--all', 'deploy every deployment in baton.yaml (all or nothing)')
    .option('--dry-run', 'check everything and print what would be created or changed; write nothing')
    .option('--yes', 'never prompt, even on a terminal (missing values are errors, as in CI)')
    .option('--baton-file <path>', 'the project file', 'baton.yaml')
    .addHelpText('after', HELP)
    .action(async (entrypoint: string | undefined, opts: DeployFlags, command: Command) => {
      // Everything heavy (zod, yaml, the client, prompts) is loaded only when deploy runs.
      const { runDeploy } = await import('./deploy/run.js');
      // A baton.yaml named on purpose must exist; the default one may be absent.
      await runDeploy(entrypoint, opts, command.getOptionValueSource('batonFile') === 'cli');
    });
}
