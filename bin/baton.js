#!/usr/bin/env node
// The baton command. It runs the compiled CLI in dist/ (built by `npm install` / `npm run build`),
// not TypeScript through a loader, so every command starts fast.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('baton is not built yet: run `npm run build` in the baton repository.\n');
  process.exit(1);
}
const { main } = await import(entry.href);
const code = await main(process.argv.slice(2));
// Let pending output flush; long-running commands (server, worker) resolve only when they stop.
process.exitCode = code;
