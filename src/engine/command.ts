import { basename, delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * How a worker starts the flow-run engine: plain node running the compiled engine, with baton's
 * module hooks (loaderHooks.ts: TypeScript through esbuild with an on-disk cache, and fallback
 * resolution of `baton` and its dependencies) registered by absolute URL, so they work from any
 * working directory (STACK.md G4).
 */
export function engineCommand(): { command: string; args: string[]; env: Record<string, string> } {
  // main.js registers the hooks itself, after its own imports (see main.ts).
  return { command: process.execPath, args: ['--enable-source-maps', engineMainPath()], env: engineEnv(process.env) };
}

/**
 * NODE_PATH for flow-run processes: CommonJS `require` calls (in a flow's .cjs or .js helpers)
 * fall back to baton's installation, as loaderHooks.ts does for ES module imports. NODE_PATH is
 * only consulted after the flow's own node_modules.
 */
export function engineEnv(base: NodeJS.ProcessEnv): Record<string, string> {
  const root = resolve(dirname(engineMainPath()), '../..');
  const dirs = [join(root, 'node_modules')];
  // Installed as a dependency: baton's own dependencies are hoisted next to it.
  if (basename(dirname(root)) === 'node_modules') dirs.push(dirname(root));
  const existing = base.NODE_PATH ? base.NODE_PATH.split(delimiter).filter(Boolean) : [];
  return { NODE_PATH: [...existing, ...dirs].join(delimiter) };
}

/** What every flow-run process needs before its first import: source maps for TypeScript stacks, and baton's hooks. */
export function engineLoaderArgs(): string[] {
  return ['--enable-source-maps', '--import', distUrl('registerHooks.js')];
}

function distUrl(file: string): string {
  return new URL(`file://${join(dirname(engineMainPath()), file)}`).href;
}

/** dist/engine/main.js, whether this module runs compiled from dist/ or as source under vitest. */
export function engineMainPath(): string {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith('.ts') ? resolve(dirname(here), '../../dist/engine/main.js') : join(dirname(here), 'main.js');
}
