import type { Command } from 'commander';
import { settings } from '../context.js';
import { port } from '../parse.js';

export function registerServer(program: Command): void {
  const group = program.command('server').description('Run the baton server');
  group
    .command('start')
    .description('Start the server (API, docs and dashboard) on the embedded SQLite database')
    .option('--host <host>', 'address to listen on (BATON_SERVER_HOST)')
    .option('--port <port>', 'port to listen on (BATON_SERVER_PORT)', port)
    .action(async (opts: { host?: string; port?: number }) => {
      const { settings: s } = settings({
        ...(opts.host === undefined ? {} : { BATON_SERVER_HOST: opts.host }),
        ...(opts.port === undefined ? {} : { BATON_SERVER_PORT: opts.port }),
      });
      // Loaded on demand: the server's dependencies cost start-up time every other command can skip.
      const { runServer } = await import('../../server/main.js');
      await runServer({
        host: s.BATON_SERVER_HOST,
        port: s.BATON_SERVER_PORT,
        databasePath: s.BATON_DATABASE_PATH,
        logLevel: s.BATON_LOGGING_LEVEL,
        services: {
          cancellingTimeoutSeconds: s.BATON_SERVER_CANCELLING_TIMEOUT_SECONDS,
          lateRunsAfterSeconds: s.BATON_SERVER_LATE_RUNS_AFTER_SECONDS,
          scheduler: {
            minRuns: s.BATON_SERVER_SCHEDULER_MIN_RUNS,
            maxRuns: s.BATON_SERVER_SCHEDULER_MAX_RUNS,
            minTimeMs: s.BATON_SERVER_SCHEDULER_MIN_SCHEDULED_TIME * 1000,
            maxTimeMs: s.BATON_SERVER_SCHEDULER_MAX_SCHEDULED_TIME * 1000,
            catchupWindowMs: s.BATON_SERVER_SCHEDULER_CATCHUP_WINDOW_SECONDS * 1000,
          },
        },
      });
    });
}
