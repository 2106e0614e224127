import type { Command } from 'commander';
import { BadRequestError } from '../../domain/errors.js';
import { client, settings } from '../context.js';
import { color, formatStatus, printJson, println, printTable, wantsJson } from '../output.js';
import { nonNegativeInt, positiveInt } from '../parse.js';
import { confirmAction } from '../prompts.js';

/** The pool a queue command works on: --pool, else the default pool. */
function poolOf(opts: { pool?: string }): string {
  const pool = opts.pool ?? settings().settings.BATON_DEFAULT_WORK_POOL_NAME;
  if (!pool) throw new BadRequestError('Missing work pool: pass --pool <name> (or set a default with `baton work-pool create NAME --set-as-default`).');
  return pool;
}

export function registerWorkQueue(program: Command): void {
  const group = program.command('work-queue').alias('work-queues').description("Create and manage a pool's work queues");
  const poolOption = ['-p, --pool <name>', 'the work pool (default: BATON_DEFAULT_WORK_POOL_NAME)'] as const;

  group
    .command('create <name>')
    .description('Create a queue in a work pool')
    .option(...poolOption)
    .option('-l, --limit <n>', 'at most this many runs of the queue at once', nonNegativeInt)
    .option('-q, --priority <n>', 'priority, 1 = highest (others shift down)', positiveInt)
    .option('--description <text>', 'a description')
    .action(async (name: string, opts: { pool?: string; limit?: number; priority?: number; description?: string }) => {
      const pool = poolOf(opts);
      const queue = await client().workPools.createQueue(pool, {
        name,
        ...(opts.limit === undefined ? {} : { concurrency_limit: opts.limit }),
        ...(opts.priority === undefined ? {} : { priority: opts.priority }),
        ...(opts.description === undefined ? {} : { description: opts.description }),
      });
      println(`Created work queue with properties:`);
      println(`    name - '${queue.name}'`);
      println(`    work pool - '${queue.work_pool_name}'`);
      println(`    id - ${queue.id}`);
      println(`    priority - ${queue.priority}`);
      println(`    concurrency limit - ${queue.concurrency_limit ?? 'None'}`);
      println();
      println('Start a worker to pick up flow runs from the work queue:');
      println(`    ${color.cyan(`baton worker start --pool '${queue.work_pool_name}' --work-queue '${queue.name}'`)}`);
    });

  group
    .command('ls')
    .description('List work queues (of one pool with --pool)')
    .option(...poolOption)
    .option('-m, --match <prefix>', 'only queues whose name starts with this')
    .option('-o, --output <format>', 'json for machine-readable output')
    .action(async (opts: { pool?: string; match?: string; output?: string }) => {
      const json = wantsJson(opts.output);
      const filter = opts.match ? { work_queues: { name: { startswith_: [opts.match] } } } : {};
      const api = client();
      const queues = opts.pool ? await api.workPools.listQueues(opts.pool, filter) : await api.workPools.listAllQueues(filter);
      if (json) return printJson(queues);
      const name = (q: { name: string; is_paused: boolean }): string => (q.is_paused ? `${q.name} ${color.red('(**)')}` : q.name);
      if (opts.pool) {
        printTable(
          ['Name', 'Priority', 'Concurrency Limit', 'Status', 'Last Polled'],
          queues.map((q) => [name(q), q.priority, q.concurrency_limit, formatStatus(q.status), q.last_polled ?? 'never']),
          { title: `Work Queues in Work Pool '${opts.pool}'`, caption: '(**) denotes a paused queue' },
        );
      } else {
        printTable(
          ['Name', 'Pool', 'ID', 'Concurrency Limit', 'Status'],
          queues.map((q) => [name(q), q.work_pool_name, q.id, q.concurrency_limit, formatStatus(q.status)]),
          { title: 'Work Queues', caption: '(**) denotes a paused queue' },
        );
      }
    });

  group
    .command('inspect <name>')
    .description('Show a work queue and its health')
    .option(...poolOption)
    .option('-o, --output <format>', 'json for machine-readable output')
    .action(async (name: string, opts: { pool?: string; output?: string }) => {
      wantsJson(opts.output);
      const api = client();
      const queue = await api.workPools.readQueue(poolOf(opts), name);
      const status_details = await api.workPools.queueStatus(queue.id);
      printJson({ ...queue, status_details });
    });

  const simple = (
    command: string,
    description: string,
    run: (pool: string, name: string, arg?: string) => Promise<string>,
  ): void => {
    group
      .command(command)
      .description(description)
      .option(...poolOption)
      .action(async (...args: unknown[]) => {
        // commander passes the arguments, then the options, then the command itself.
        const command = args.at(-1) as Command;
        const [name, arg] = args as [string, string | undefined];
        println(await run(poolOf(command.opts<{ pool?: string }>()), name, typeof arg === 'string' ? arg : undefined));
      });
  };

  simple('pause <name>', 'Pause a queue: its runs are not handed to workers', async (pool, name) => {
    await client().workPools.updateQueue(pool, name, { is_paused: true });
    return `Work queue '${name}' paused`;
  });
  simple('resume <name>', 'Resume a paused queue', async (pool, name) => {
    await client().workPools.updateQueue(pool, name, { is_paused: false });
    return `Work queue '${name}' resumed`;
  });
  simple('set-concurrency-limit <name> <limit>', 'Allow at most <limit> runs of the queue at once', async (pool, name, limit) => {
    const n = nonNegativeInt(limit ?? '');
    await client().workPools.updateQueue(pool, name, { concurrency_limit: n });
    return `Concurrency limit of ${n} set on work queue '${name}'`;
  });
  simple('clear-concurrency-limit <name>', "Remove the queue's concurrency limit", async (pool, name) => {
    await client().workPools.updateQueue(pool, name, { concurrency_limit: null });
    return `Concurrency limits removed on work queue '${name}'`;
  });

  group
    .command('delete <name>')
    .description("Delete a queue (not the pool's default)")
    .option(...poolOption)
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (name: string, opts: { pool?: string; yes?: boolean }) => {
      const pool = poolOf(opts);
      const api = client();
      await api.workPools.readQueue(pool, name);
      if (!(await confirmAction(`Are you sure you want to delete work queue '${name}' of pool '${pool}'?`, opts.yes))) {
        println('Deletion aborted.');
        return;
      }
      await api.workPools.deleteQueue(pool, name);
      println(`Deleted work queue '${name}'`);
    });
}
