import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Module hooks for flow-run processes (registered by registerHooks.ts, running on Node's hooks
 * thread). They do two things:
 *
 * - **TypeScript**: `.ts`/`.mts`/`.tsx` files are transformed to JavaScript with esbuild, and the
 *   result is cached on disk by content, so a flow file is transformed once, not in every
 *   process. (tsx did this job before; its own start-up cost ~0.3 s of CPU per process, which
 *   capped how many runs per second a worker could start. esbuild itself is only loaded on a
 *   cache miss.) TypeScript's import conventions resolve: `./x.js` finds `./x.ts`, and an
 *   extensionless `./x` finds `./x.ts` or `./x/index.ts`.
 * - **Fallback resolution**: a flow's bare imports resolve from the flow's own directory first;
 *   only when that fails (a git checkout without node_modules, a flow file outside any project)
 *   are they resolved from baton's installation, so `baton` and `zod` are always importable.
 */
interface ResolveContext {
  parentURL?: string | undefined;
  conditions?: string[];
  importAttributes?: Record<string, string>;
}
interface ResolveResult {
  url: string;
  format?: string | null;
  shortCircuit?: boolean;
}
type NextResolve = (specifier: string, context?: ResolveContext) => Promise<ResolveResult>;
interface LoadResult {
  format: string;
  source?: string | ArrayBuffer | Uint8Array | null;
  shortCircuit?: boolean;
}
type NextLoad = (url: string, context?: { format?: string | null; conditions?: string[] }) => Promise<LoadResult>;

/** A file inside baton's package root: resolving from here finds baton itself and its dependencies. */
const BATON_PARENT = new URL('../../package.json', import.meta.url).href;
const CACHE_DIR = process.env.BATON_TS_CACHE_DIR || join(tmpdir(), 'baton-ts-cache');
const TS_FILE = /\.(ts|mts|tsx)$/;

function isBare(specifier: string): boolean {
  return !/^(\.|\/|file:|node:|data:|[a-z]+:\/\/)/i.test(specifier);
}

function isRelativeOrAbsolute(specifier: string): boolean {
  return /^(\.{1,2}\/|\/|file:)/.test(specifier);
}

/** Other files `specifier` may mean under TypeScript's conventions, in the order tsc tries them. */
function typeScriptCandidates(specifier: string): string[] {
  const js = /\.(m|c)?jsx?$/.exec(specifier);
  if (js) {
    const base = specifier.slice(0, -js[0].length);
    return js[1] === 'm' ? [`${base}.mts`] : [`${base}.ts`, `${base}.tsx`];
  }
  if (/\.[a-z]+$/i.test(specifier.split('/').pop() ?? '')) return [];
  return [`${specifier}.ts`, `${specifier}.tsx`, `${specifier}.mts`, `${specifier}.js`, `${specifier}/index.ts`, `${specifier}/index.js`];
}

export async function resolve(specifier: string, context: ResolveContext, next: NextResolve): Promise<ResolveResult> {
  try {
    return await next(specifier, context);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'ERR_UNSUPPORTED_DIR_IMPORT' && code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw err;
    if (isRelativeOrAbsolute(specifier)) {
      for (const candidate of typeScriptCandidates(specifier)) {
        try {
          return await next(candidate, context);
        } catch {
          // try the next convention
        }
      }
    } else if (isBare(specifier)) {
      try {
        return await next(specifier, { ...context, parentURL: BATON_PARENT });
      } catch {
        // not in baton's installation either: report the original failure
      }
    }
    throw err;
  }
}

let esbuild: typeof import('esbuild') | null = null;

/** CommonJS names some TypeScript code still uses; defined only when the file mentions them. */
function commonJsShims(source: string): string {
  const shims: string[] = [];
  if (/\brequire\s*[.(]/.test(source)) shims.push('import { createRequire as __batonCreateRequire } from "node:module"; const require = __batonCreateRequire(import.meta.url);');
  if (/\b__filename\b/.test(source) || /\b__dirname\b/.test(source)) {
    shims.push('import { fileURLToPath as __batonFileURLToPath } from "node:url"; import { dirname as __batonDirname } from "node:path";');
    shims.push('const __filename = __batonFileURLToPath(import.meta.url); const __dirname = __batonDirname(__filename);');
  }
  return shims.join('\n');
}

async function transform(url: string, source: string): Promise<string> {
  const key = createHash('sha256').update(url).update('\0').update(source).digest('hex');
  const cached = join(CACHE_DIR, `${key}.mjs`);
  try {
    return readFileSync(cached, 'utf8');
  } catch {
    // not cached yet
  }
  esbuild ??= await import('esbuild');
  const path = fileURLToPath(url);
  const result = esbuild.transformSync(source, {
    loader: url.endsWith('.tsx') ? 'tsx' : 'ts',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    sourcefile: path,
    jsx: 'automatic',
  });
  const shims = commonJsShims(source);
  const code = shims ? `${shims}\n${result.code}` : result.code;
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    const tmp = `${cached}.${process.pid}.tmp`;
    writeFileSync(tmp, code);
    renameSync(tmp, cached);
  } catch {
    // an unwritable cache only costs the next process a transform
  }
  return code;
}

export async function load(url: string, context: { format?: string | null; conditions?: string[] }, next: NextLoad): Promise<LoadResult> {
  if (url.startsWith('file:') && TS_FILE.test(new URL(url).pathname) && !url.endsWith('.d.ts')) {
    const source = readFileSync(new URL(url), 'utf8');
    return { format: 'module', source: await transform(url, source), shortCircuit: true };
  }
  return next(url, context);
}
