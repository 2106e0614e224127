import { Command, CommanderError } from 'commander';
import { BatonError } from '../domain/errors.js';
import { registerConfig } from './commands/config.js';
import { registerDeploy } from './commands/deploy.js';
import { registerDeployment } from './commands/deployment.js';
import { registerFlowRun } from './commands/flowRun.js';
import { registerInit } from './commands/init.js';
import { registerSchedule } from './commands/schedule.js';
import { registerServer } from './commands/server.js';
import { registerWorkPool } from './commands/workPool.js';
import { registerWorkQueue } from './commands/workQueue.js';
import { registerWorker } from './commands/worker.js';
import { color } from './output.js';
import { BATON_VERSION } from './version.js';

export function buildProgram(): Command {
  const program = new Command('baton')
    .description('baton: deploy TypeScript flows, run workers, trigger runs.')
    .version(BATON_VERSION, '-v, --version')
    .option('--debug', 'print stack traces of errors')
    // Program options only before the command, so a command's own options (deploy --version)
    // are not taken for baton's.
    .enablePositionalOptions()
    .showSuggestionAfterError()
    .exitOverride();
  program.command('version').description("Show baton's version").action(() => {
    process.stdout.write(`${BATON_VERSION}\n`);
  });
  registerServer(program);
  registerConfig(program);
  registerWorkPool(program);
  registerWorkQueue(program);
  registerDeployment(program);
  registerFlowRun(program);
  registerWorker(program);
  registerInit(program);
  registerDeploy(program);
  registerSchedule(program);
  // Subcommands inherit exitOverride so usage errors reach the one handler below.
  const inherit = (cmd: Command): void => {
    for (const sub of cmd.commands) {
      sub.exitOverride();
      inherit(sub);
    }
  };
  inherit(program);
  return program;
}

/**
 * The one place that turns errors into output and exit codes: a baton error is one line saying
 * what is wrong and what to do; anything else is reported as unexpected, with its stack only
 * under --debug.
 */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  // --debug may come anywhere on the line; it is handled here, not by commander.
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv.filter((a) => a !== '--debug'), { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander already printed its message (usage errors, --help, --version).
      return err.exitCode;
    }
    if (err instanceof BatonError) {
      process.stderr.write(`${color.red('Error:')} ${err.message}\n`);
      if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
      return 1;
    }
    const e = err as Error;
    process.stderr.write(`${color.red('Unexpected error:')} ${e?.message ?? String(err)}${debug ? '' : ' (run with --debug for details)'}\n`);
    if (debug && e?.stack) process.stderr.write(`${e.stack}\n`);
    return 2;
  }
}
