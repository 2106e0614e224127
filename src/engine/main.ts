/**
 * The flow-run process. A worker starts it (see command.ts) with an IPC channel, possibly before
 * it knows which run it will get: everything slow (the loader hooks, the SDK) is loaded before `ready`,
 * so that after `start` only the user's file is left to import.
 */
import { countOutput } from './outputCounter.js';
import { WorkerChannel } from './channel.js';
import { installFramedLogs } from './frameLogs.js';
import { runFlowRun } from './runFlowRun.js';
// The module a flow's `import 'baton'` resolves to: loaded here, that import costs a lookup only.
import '../sdk/index.js';
// Last: the loader hooks (TypeScript, fallback resolution) are for the user's files. Registered
// after the engine's own modules are loaded, those never cross to the hooks thread and back
// (about 20 ms of CPU per flow-run process).
import './registerHooks.js';

/** The engine reported the run's outcome, whatever it was. */
const EXIT_DONE = 0;
/** Even the Failed state could not be reported; the worker reports a crash. */
const EXIT_ENGINE_FAILED = 1;
/** The worker went away (it died or was killed): nobody can store our output or states any more. */
const EXIT_WORKER_GONE = 3;
/** Not started by a worker: there is no IPC channel to talk through. */
const EXIT_NO_WORKER = 2;
/** How long exit waits for stdout and stderr to drain into their pipes. */
const FLUSH_TIMEOUT_MS = 5_000;

if (typeof process.send !== 'function') {
  process.stderr.write('baton engine: this process is started by `baton worker`; it needs an IPC channel.\n');
  process.exit(EXIT_NO_WORKER);
}
// The worker went away (killed, crashed): nobody will store our output or states any more. The
// engine leads its own process group, so taking the group down also stops what the flow started.
process.on('disconnect', () => {
  try {
    process.kill(-process.pid, 'SIGKILL');
  } catch {
    // not a group leader (started by hand): just leave
  }
  process.exit(EXIT_WORKER_GONE);
});
if (!process.connected) process.exit(EXIT_WORKER_GONE);

const output = countOutput();
installFramedLogs(output);
const channel = new WorkerChannel(output);
channel.send({ type: 'ready' });

let code = EXIT_DONE;
try {
  await runFlowRun(await channel.waitForStart(), channel);
} catch (error) {
  process.stderr.write(`baton engine: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  code = EXIT_ENGINE_FAILED;
}
await Promise.all([flush(process.stdout), flush(process.stderr)]);
process.exit(code);

function flush(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, FLUSH_TIMEOUT_MS);
    timer.unref();
    stream.write('', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
