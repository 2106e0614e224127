// `npm start`: the quick start. Runs the baton server on the embedded SQLite database.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/baton.js', import.meta.url));
const server = spawn(process.execPath, [bin, 'server', 'start'], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
