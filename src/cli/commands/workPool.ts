import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { configFilePath, readConfigFile, writeConfigFile } from '../../config.js';
import { BadRequestError, ConflictError, InvalidError } from '../../domain/errors.js';
import type { WorkPool } from '../../domain/schemas/workPools.js';
import { client, uiUrl } from '../context.js';
import { color, formatStatus, printJson, println, printTable, printTree, wantsJson } from '../output.js';
import { nonNegativeInt } from '../parse.js';
import { confirmAction } from '../prompts.js';

function readTemplate(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new BadRequestError(`Cannot read the base job template ${file}: ${(err as NodeJS.ErrnoException).code ?? err}.`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
    return parsed as Record<string, unknown>;
  } catch (err) {
    throw new InvalidError(`The base job template ${file} is not a JSON object: ${(err as Error).message}.`);
  }
}

function printCreated(pool: WorkPool, verb: string): void {
  println(`${verb} work pool '${pool.name}'!`);
  println();
  println('To start a worker for this pool, run:');
  println();
  println(`        ${color.cyan(`baton worker start --pool ${pool.name}`)}`);
  println();
  printTree([
    ['UUID', pool.id],
    ['Type', pool.type],
    ['Description', pool.description],
    ['Status', formatStatus(pool.status)],
    ['URL', uiUrl(`/work-pools/${encodeURIComponent(pool.name)}`)],
  ]);
}

export function registerWorkPool(program: Command): void {
  const group = program.command('work-pool').alias('work-pools').description('Create and manage work pools');

  group
    .command('create <name>')
    .description('Create a work pool (with a default queue)')
    .option('-t, --type <type>', 'the pool type', 'process')
    .option('--paused', 'create the pool paused')
    .option('--concurrency-limit <n>', 'at most this many runs of the pool at once', nonNegativeInt)
    .option('--base-job-template <file>', 'a JSON file with the base job template')
    .option('--description <text>', 'a description')
    .option('--overwrite', 'update the pool if it already exists')
    .option('--set-as-default', 'make this the pool `baton deploy` uses by default')
    .action(async (name: string, opts: { type: string; paused?: boolean; concurrencyLimit?: number; baseJobTemplate?: string; description?: string; overwrite?: boolean; setAsDefault?: boolean }) => {
      const api = client();
      const template = opts.baseJobTemplate ? readTemplate(opts.baseJobTemplate) : undefined;
      let pool: WorkPool;
      try {
        pool = await api.workPools.create({
          name,
          type: opts.type,
          is_paused: Boolean(opts.paused),
          ...(opts.concurrencyLimit === undefined ? {} : { concurrency_limit: opts.concurrencyLimit }),
          ...(template ? { base_job_template: template } : {}),
          ...(opts.description === undefined ? {} : { description: opts.description }),
        });
        printCreated(pool, 'Created');
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        if (!opts.overwrite) throw new ConflictError(`Work pool named '${name}' already exists. Use --overwrite to update it.`);
        await api.workPools.update(name, {
          ...(opts.paused === undefined ? {} : { is_paused: true }),
          ...(opts.concurrencyLimit === undefined ? {} : { concurrency_limit: opts.concurrencyLimit }),
          ...(template ? { base_job_template: template } : {}),
          ...(opts.description === undefined ? {} : { description: opts.description }),
        });
        pool = await api.workPools.read(name);
        printCreated(pool, 'Updated');
      }
      if (opts.setAsDefault) {
        const file = configFilePath(process.env);
        writeConfigFile(file, { ...readConfigFile(file), BATON_DEFAULT_WORK_POOL_NAME: name });
        println(`Set '${name}' as the default work pool.`);
      }
    });

  group
    .command('ls')
    .description('List work pools')
    .option('-o, --output <format>', 'json for machine-readable output')
    .action(async (opts: { output?: string }) => {
      const json = wantsJson(opts.output);
      const pools = await client().workPools.list();
      if (json) return printJson(pools);
      const newest = [...pools].sort((a, b) => b.created.localeCompare(a.created));
      printTable(
        ['Name', 'Type', 'ID', 'Concurrency Limit', 'Status'],
        newest.map((p) => [
          p.is_paused ? `${p.name} ${color.red('(**)')}` : p.name,
          p.type,
          p.id,
          p.concurrency_limit,
          formatStatus(p.status),
        ]),
        { title: 'Work Pools', caption: '(**) denotes a paused pool' },
      );
    });

  group
    .command('inspect <name>')
    .description('Show a work pool')
    .option('-o, --output <format>', 'json for machine-readable output')
    .action(async (name: string, opts: { output?: string }) => {
      wantsJson(opts.output);
      // The pool as the API returns it, pretty-printed: the same for people and scripts.
      printJson(await client().workPools.read(name));
    });

  group
    .command('pause <name>')
    .description('Pause a work pool: its runs are not handed to workers')
    .action(async (name: string) => {
      await client().workPools.update(name, { is_paused: true });
      println(`Paused work pool '${name}'`);
    });

  group
    .command('resume <name>')
    .description('Resume a paused work pool')
    .action(async (name: string) => {
      await client().workPools.update(name, { is_paused: false });
      println(`Resumed work pool '${name}'`);
    });

  group
    .command('delete <name>')
    .description('Delete a work pool with its queues and workers')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (name: string, opts: { yes?: boolean }) => {
      const api = client();
      await api.workPools.read(name);
      if (!(await confirmAction(`Are you sure you want to delete work pool '${name}'?`, opts.yes))) {
        println('Deletion aborted.');
        return;
      }
      await api.workPools.delete(name);
      println(`Deleted work pool '${name}'`);
    });

  group
    .command('set-concurrency-limit <name> <limit>')
    .description('Allow at most <limit> runs of the pool at once')
    .action(async (name: string, limit: string) => {
      const n = nonNegativeInt(limit);
      await client().workPools.update(name, { concurrency_limit: n });
      println(`Set concurrency limit for work pool '${name}' to ${n}`);
    });

  group
    .command('clear-concurrency-limit <name>')
    .description("Remove the pool's concurrency limit")
    .action(async (name: string) => {
      await client().workPools.update(name, { concurrency_limit: null });
      println(`Cleared concurrency limit for work pool '${name}'`);
    });
}
