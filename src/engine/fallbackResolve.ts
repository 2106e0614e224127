/**
 * Module resolution hooks for flow-run processes (registered by registerHooks.ts). A flow's bare
 * imports resolve as usual from the flow's own directory; only when that fails (a git checkout
 * without node_modules, a flow file outside any project) are they resolved from baton's own
 * installation, so `import { flow } from 'baton'` and `import { z } from 'zod'` always work.
 */
interface ResolveContext {
  parentURL?: string | undefined;
  conditions?: string[];
  importAttributes?: Record<string, string>;
}
type NextResolve = (specifier: string, context?: ResolveContext) => Promise<{ url: string; format?: string | null }>;

/** A file inside baton's package root: resolving from here finds baton itself and its dependencies. */
const BATON_PARENT = new URL('../../package.json', import.meta.url).href;

function isBare(specifier: string): boolean {
  return !/^(\.|\/|file:|node:|data:|[a-z]+:\/\/)/i.test(specifier);
}

export async function resolve(specifier: string, context: ResolveContext, next: NextResolve): Promise<{ url: string; format?: string | null }> {
  try {
    return await next(specifier, context);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (!isBare(specifier) || (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED')) throw err;
    try {
      return await next(specifier, { ...context, parentURL: BATON_PARENT });
    } catch {
      throw err;
    }
  }
}
