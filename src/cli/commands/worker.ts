import type { Command } from 'commander';
import { randomUUID } from 'node:crypto';
import { BadRequestError } from '../../domain/errors.js';
import { settings } from '../context.js';
import { collect, nonNegativeNumber, positiveInt } from '../parse.js';

interface StartOptions {
  pool?: string;
  workQueue?: string[];
  name?: string;
  limit?: number;
  prefetchSeconds?: number;
  heartbeatSeconds?: number;
  runOnce?: boolean;
}

export function registerWorker(program: Command): void {
  const group = program.command('worker').description('Run a worker that executes flow runs of a work pool');
  group
    .command('start')
    .description('Start a worker: it claims due runs of the pool and runs each as a subprocess')
    .option('-p, --pool <name>', 'the work pool (created as a process pool if missing)')
    .option('-q, --work-queue <name>', 'only take runs from this queue (repeatable; default: all)', collect)
    .option('-n, --name <name>', 'the worker name (default: baton-worker-<random>)')
    .option('-l, --limit <n>', 'run at most this many flow runs at once', positiveInt)
    .option('--prefetch-seconds <s>', 'claim and prepare runs this long before they are due (BATON_WORKER_PREFETCH_SECONDS)', nonNegativeNumber)
    .option('--heartbeat-seconds <s>', 'heartbeat interval; runs are lost after 3 missed (BATON_WORKER_HEARTBEAT_SECONDS)', nonNegativeNumber)
    .option('--run-once', 'claim the runs due now, run them, and exit')
    .action(async (opts: StartOptions) => {
      const pool = opts.pool;
      if (!pool) {
        throw new BadRequestError(
          `Missing required option '--pool' / '-p': name the work pool this worker serves, e.g. baton worker start --pool my-pool.`,
        );
      }
      if (opts.name !== undefined && /[/%]/.test(opts.name)) throw new BadRequestError('A worker name must not contain / or %.');
      const { settings: s } = settings({
        ...(opts.prefetchSeconds === undefined ? {} : { BATON_WORKER_PREFETCH_SECONDS: opts.prefetchSeconds }),
        ...(opts.heartbeatSeconds === undefined ? {} : { BATON_WORKER_HEARTBEAT_SECONDS: opts.heartbeatSeconds }),
      });
      const { Worker } = await import('../../worker/worker.js');
      const worker = new Worker({
        apiUrl: s.BATON_API_URL,
        pool,
        queues: opts.workQueue ?? [],
        name: opts.name ?? `baton-worker-${randomUUID().slice(0, 8)}`,
        limit: opts.limit ?? null,
        prefetchSeconds: s.BATON_WORKER_PREFETCH_SECONDS,
        heartbeatSeconds: s.BATON_WORKER_HEARTBEAT_SECONDS,
        cancelGraceSeconds: s.BATON_WORKER_CANCEL_GRACE_SECONDS,
        runOnce: Boolean(opts.runOnce),
        home: s.BATON_HOME,
        print: (line) => process.stdout.write(`${line}\n`),
      });
      let signals = 0;
      const onSignal = (): void => {
        signals++;
        if (signals >= 3) process.exit(130);
        worker.stop();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        await worker.start();
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
