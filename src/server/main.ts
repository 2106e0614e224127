import { accessSync, constants, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { pino, type Logger } from 'pino';
import { BatonError } from '../domain/errors.js';
import { systemClock } from '../domain/time.js';
import { SqliteStore } from '../store/sqlite/index.js';
import { buildApp, type App } from './app.js';
import { readableLogStream } from './logStream.js';
import { catchUp, startServices, type ServiceSettings } from './services/index.js';

export interface ServerOptions {
  host: string;
  port: number;
  databasePath: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  services: ServiceSettings;
  /** Print the start banner (the CLI does; embedded uses may not). */
  banner?: boolean;
}

export interface RunningServer {
  app: App;
  store: SqliteStore;
  /** The URL clients use, e.g. http://127.0.0.1:4200/api. */
  apiUrl: string;
  close(): Promise<void>;
}

/** A server start failure with a one-line explanation (busy port, unwritable home, newer database). */
export class ServerStartError extends BatonError {
  override readonly name = 'ServerStartError';
}

function openStore(databasePath: string, logger: Logger): SqliteStore {
  try {
    mkdirSync(dirname(databasePath), { recursive: true });
    accessSync(dirname(databasePath), constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new ServerStartError(
      `Cannot write to ${dirname(databasePath)} (${code}): set BATON_HOME or BATON_DATABASE_PATH to a writable location.`,
    );
  }
  try {
    return SqliteStore.open(databasePath, systemClock, {
      backgroundCheckpoints: { onError: (message) => logger.warn(`WAL checkpoint failed (retried shortly): ${message}`) },
    });
  } catch (err) {
    if (err instanceof BatonError) throw err;
    throw new ServerStartError(`Cannot open the database ${databasePath}: ${(err as Error).message}`);
  }
}

/** Starts the server: opens the store, builds the app, listens. The only place that listens. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const logger = pino({ level: options.logLevel, base: null }, readableLogStream());
  const store = openStore(options.databasePath, logger);
  const app = await buildApp({ store, clock: systemClock, logger });
  await catchUp(store, options.services, logger);
  try {
    // The banner below says where the server is; Fastify's own "listening" line would repeat it.
    await app.listen({ host: options.host, port: options.port, listenTextResolver: () => '' });
  } catch (err) {
    await store.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new ServerStartError(
        `Port ${options.port} on ${options.host} is already in use: stop the process using it or start with --port <another>.`,
      );
    }
    if (code === 'EACCES') throw new ServerStartError(`Not allowed to listen on ${options.host}:${options.port} (EACCES).`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      throw new ServerStartError(`Cannot listen on ${options.host}: no such address on this machine.`);
    }
    throw err;
  }
  const services = startServices(store, options.services, logger);
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  const base = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
  const apiUrl = `${base}/api`;
  if (options.banner !== false) {
    process.stdout.write(
      [
        '',
        ' baton server',
        '',
        `Configure baton to use this server with:`,
        '',
        `    baton config set BATON_API_URL=${apiUrl}`,
        '',
        `View the API reference documentation at ${base}/docs`,
        '',
        `Check out the dashboard at ${base}`,
        '',
        '',
      ].join('\n'),
    );
  }
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await services.stop();
      await app.close();
      await store.close();
    })();
    return closing;
  };
  return { app, store, apiUrl, close };
}

/** Runs until SIGINT/SIGTERM, then closes in-flight requests and the database cleanly. */
export async function runServer(options: ServerOptions): Promise<void> {
  const server = await startServer(options);
  await new Promise<void>((resolve) => {
    let signals = 0;
    const onSignal = (): void => {
      signals++;
      if (signals > 1) process.exit(130);
      process.stdout.write('\nStopping the baton server…\n');
      // A hung close must not keep the process alive forever.
      setTimeout(() => process.exit(1), 10_000).unref();
      void server.close().then(resolve);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
