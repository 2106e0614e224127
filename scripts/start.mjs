// `npm start`: the quick start. Starts the server on the embedded SQLite database, creates the
// `examples` work pool, starts a worker for it and deploys the flows of examples/
// (examples/baton.yaml); the worker comes first so that deploy sees it online and does not tell
// the user to start one. Ctrl-C stops the worker (letting running flows finish), then the server.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/baton.js', import.meta.url));
const examples = fileURLToPath(new URL('../examples/', import.meta.url));
const apiUrl = (process.env.BATON_API_URL ?? 'http://127.0.0.1:4200/api').replace(/\/+$/, '');

const children = [];
function start(args, options = {}) {
  const child = spawn(process.execPath, [bin, ...args], { stdio: 'inherit', ...options });
  children.push(child);
  return child;
}
function run(args, options = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], { stdio: 'inherit', ...options });
  if (result.status !== 0) throw new Error(`baton ${args.join(' ')} failed (exit ${result.status})`);
}

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  // The worker first, so it can finish its runs while the server is still there.
  for (const child of [...children].reverse()) {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

const server = start(['server', 'start']);
server.on('exit', (code) => {
  if (!stopping) void stop(code ?? 1);
});

const deadline = Date.now() + 30_000;
for (;;) {
  if (server.exitCode !== null) break;
  const up = await fetch(`${apiUrl}/health`).then((r) => r.ok, () => false);
  if (up) break;
  if (Date.now() > deadline) {
    console.error(`The server did not answer at ${apiUrl} within 30 s.`);
    await stop(1);
  }
  await new Promise((r) => setTimeout(r, 100));
}

/** True once a worker of the pool has sent its first heartbeat. */
async function workerOnline() {
  const res = await fetch(`${apiUrl}/work_pools/examples/workers/filter`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).catch(() => null);
  if (!res?.ok) return false;
  return (await res.json()).some((w) => w.status === 'ONLINE');
}

try {
  run(['work-pool', 'create', 'examples', '--type', 'process', '--overwrite'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const worker = start(['worker', 'start', '--pool', 'examples', '--name', 'examples-worker']);
  const workerDeadline = Date.now() + 15_000;
  while (!(await workerOnline())) {
    if (worker.exitCode !== null) throw new Error(`the worker exited (code ${worker.exitCode})`);
    if (Date.now() > workerDeadline) throw new Error('the worker did not come online within 15 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  run(['deploy', '--all'], { cwd: examples });
} catch (err) {
  console.error(err.message);
  await stop(1);
}
const base = apiUrl.replace(/\/api$/, '');
console.log(`
baton is running: open ${base} for the dashboard, ${base}/docs for the API reference.
Try, in another terminal:

    npx baton deployment run 'hello/default' --param name=you --watch
`);
