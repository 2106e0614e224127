import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * How a worker starts the flow-run engine: plain node with tsx preloaded from baton's own
 * node_modules by absolute URL (STACK.md G4: a bare `--import tsx` would resolve from the flow's
 * working directory), running the compiled engine, so nothing of baton itself is transpiled.
 */
export function engineCommand(): { command: string; args: string[] } {
  return { command: process.execPath, args: ['--import', import.meta.resolve('tsx'), engineMainPath()] };
}

/** dist/engine/main.js, whether this module runs compiled from dist/ or as source under vitest. */
export function engineMainPath(): string {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith('.ts') ? resolve(dirname(here), '../../dist/engine/main.js') : join(dirname(here), 'main.js');
}
