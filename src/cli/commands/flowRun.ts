import type { Command } from 'commander';
import { client } from '../context.js';
import { watchRun } from '../follow.js';
import { printJson, wantsJson } from '../output.js';
import { collect, nonNegativeNumber, positiveInt } from '../parse.js';
import { readRun } from '../runRef.js';
import { cancelRun, deleteRun, retryRun } from './flowRun/lifecycle.js';
import { showLogs, type LogsOptions } from './flowRun/logs.js';
import { listFlowRuns, type LsOptions } from './flowRun/ls.js';

export function registerFlowRun(program: Command): void {
  const group = program.command('flow-run').alias('flow-runs').description('List, inspect, follow, cancel, retry and delete flow runs');

  group
    .command('ls')
    .description('List flow runs, latest expected start first')
    .option('--flow-name <name>', 'only runs of this flow (repeatable)', collect)
    .option('--state <name>', 'only runs in this state, e.g. Late, Running (repeatable)', collect)
    .option('--state-type <type>', 'only runs of this state type, e.g. COMPLETED (repeatable)', collect)
    .option('--limit <n>', 'at most this many runs', positiveInt, 15)
    .option('-o, --output <format>', 'json for machine-readable output')
    .action((opts: LsOptions) => listFlowRuns(opts));

  group
    .command('inspect <id>')
    .description('Show a flow run')
    .option('-o, --output <format>', 'json for machine-readable output')
    .action(async (id: string, opts: { output?: string }) => {
      wantsJson(opts.output);
      printJson(await readRun(client(), id));
    });

  group
    .command('logs <id>')
    .description("Print a flow run's log lines")
    .option('--head', 'only the first lines (see --num-logs)')
    .option('--tail', 'only the last lines (see --num-logs)')
    .option('-n, --num-logs <n>', `how many lines with --head or --tail (default 20)`, positiveInt)
    .option('--reverse', 'newest line first')
    .option('-f, --follow', 'keep printing new lines until the run ends')
    .option('-o, --output <format>', 'json: a JSON array (with --follow, one JSON object per line)')
    .action((id: string, opts: LogsOptions) => showLogs(id, opts));

  group
    .command('watch <id>')
    .description('Follow a flow run until it ends, printing its states and logs (exit 0 only if it completes)')
    .option('--timeout <seconds>', 'give up after this many seconds (exit 1)', nonNegativeNumber)
    .action(async (id: string, opts: { timeout?: number }) => {
      const api = client();
      const run = await readRun(api, id);
      await watchRun(api, run.id, opts.timeout === undefined ? undefined : opts.timeout * 1000);
    });

  group
    .command('cancel <id>')
    .description('Cancel a flow run (a run not started yet is cancelled at once)')
    .action((id: string) => cancelRun(id));

  group
    .command('retry <id-or-name>')
    .description('Schedule a run that has ended to run again (by ID, or by name when one run has it)')
    .action((ref: string) => retryRun(ref));

  group
    .command('delete <id>')
    .description('Delete a flow run and its logs')
    .option('-y, --yes', 'do not ask for confirmation')
    .action((id: string, opts: { yes?: boolean }) => deleteRun(id, opts.yes));
}
