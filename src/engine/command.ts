import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * How a worker starts the flow-run engine: node running the compiled engine, with tsx preloaded
 * from baton's own node_modules by absolute URL (STACK.md G4: a bare `--import tsx` would resolve
 * from the flow's working directory).
 *
 * Registering tsx later, from main.js after baton's own modules, was measured: it shortens
 * spawn→ready by ~200 ms under load but adds ~70 ms to importing the user's file after `start`,
 * the path a pre-started engine exists to make short. So --import it is.
 */
export function engineCommand(): { command: string; args: string[] } {
  return { command: process.execPath, args: ['--import', import.meta.resolve('tsx'), engineMainPath()] };
}

/** dist/engine/main.js, whether this module runs compiled from dist/ or as source under vitest. */
export function engineMainPath(): string {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith('.ts') ? resolve(dirname(here), '../../dist/engine/main.js') : join(dirname(here), 'main.js');
}
