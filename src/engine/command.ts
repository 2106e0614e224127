import { basename, delimiter, dirname, join, resolve } from 'node:path';
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
export function engineCommand(): { command: string; args: string[]; env: Record<string, string> } {
  return { command: process.execPath, args: [...engineLoaderArgs(), engineMainPath()], env: engineEnv(process.env) };
}

/**
 * NODE_PATH for flow-run processes: CommonJS resolution (tsx compiles a .ts file outside an ESM
 * package to CommonJS) falls back to baton's installation, as the ESM hook of fallbackResolve.ts
 * does for ES modules. NODE_PATH is only consulted after the flow's own node_modules.
 */
export function engineEnv(base: NodeJS.ProcessEnv): Record<string, string> {
  const root = resolve(dirname(engineMainPath()), '../..');
  const dirs = [join(root, 'node_modules')];
  // Installed as a dependency: baton's own dependencies are hoisted next to it.
  if (basename(dirname(root)) === 'node_modules') dirs.push(dirname(root));
  const existing = base.NODE_PATH ? base.NODE_PATH.split(delimiter).filter(Boolean) : [];
  return { NODE_PATH: [...existing, ...dirs].join(delimiter) };
}

/** The `--import`s every flow-run process needs: tsx, then baton's fallback module resolution. */
export function engineLoaderArgs(): string[] {
  return ['--import', import.meta.resolve('tsx'), '--import', distUrl('registerHooks.js')];
}

function distUrl(file: string): string {
  return new URL(`file://${join(dirname(engineMainPath()), file)}`).href;
}

/** dist/engine/main.js, whether this module runs compiled from dist/ or as source under vitest. */
export function engineMainPath(): string {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith('.ts') ? resolve(dirname(here), '../../dist/engine/main.js') : join(dirname(here), 'main.js');
}
