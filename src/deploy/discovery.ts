import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { scanFlowSource } from './flowExports.js';
import { createIgnoreMatcher, type IgnoreMatcher } from './ignore.js';

/** A flow found by `discoverFlows`, as `baton deploy` and `baton init` list it. */
export interface DiscoveredFlow {
  /** The flow's `name` option when it is a string literal, else the export name. */
  name: string;
  exportName: string;
  /** Relative to the scanned root, with POSIX separators. */
  file: string;
  /** `file:exportName`, the form deployments use. */
  entrypoint: string;
}

export const IGNORE_FILE = '.batonignore';
/** Files larger than this are generated or bundled code, never a flow worth listing. */
export const MAX_SOURCE_BYTES = 1024 * 1024;

const SOURCE_FILE = /\.(?:ts|mts|js|mjs)$/;
const DECLARATION_FILE = /\.d\.(?:ts|mts)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist']);
/** How many files are read at once: enough to hide disk latency, few enough to keep memory flat. */
const READ_CONCURRENCY = 16;

/**
 * Finds every exported `flow(...)` under `rootDir` by reading the files' text, never running them.
 * Skips node_modules, dist, dot-folders (.git among them), `*.d.ts`, files over 1 MiB and whatever
 * `.batonignore` at the root excludes. Symlinked folders are not followed (so links cannot loop or
 * leave the project); symlinked files are read. Sorted by file, then export name.
 */
export async function discoverFlows(rootDir: string): Promise<DiscoveredFlow[]> {
  const ignore = await readIgnoreFile(rootDir);
  const files = await listSourceFiles(rootDir, ignore);
  const flows: DiscoveredFlow[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const file = files[next++] as string;
      const source = await readSmallFile(join(rootDir, file));
      if (source === null) continue;
      for (const found of scanFlowSource(source)) {
        flows.push({ name: found.flowName ?? found.exportName, exportName: found.exportName, file, entrypoint: `${file}:${found.exportName}` });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, files.length) }, worker));
  return flows.sort((a, b) => compare(a.file, b.file) || compare(a.exportName, b.exportName));
}

/** `./flows\etl.ts:etl` → `flows/etl.ts:etl`, the form discovery reports. */
export function normalizeEntrypoint(entrypoint: string): string {
  return entrypoint.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '');
}

/**
 * A resolver from entrypoint to flow name over discovered flows, for `selectDeployments`:
 * undefined when discovery did not find the entrypoint.
 */
export function flowNameResolver(flows: readonly DiscoveredFlow[]): (entrypoint: string) => string | undefined {
  const byEntrypoint = new Map(flows.map((f) => [f.entrypoint, f.name]));
  return (entrypoint) => byEntrypoint.get(normalizeEntrypoint(entrypoint));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function readIgnoreFile(rootDir: string): Promise<IgnoreMatcher> {
  try {
    return createIgnoreMatcher(await readFile(join(rootDir, IGNORE_FILE), 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EISDIR') return createIgnoreMatcher('');
    throw err;
  }
}

/** Relative POSIX paths of candidate source files, breadth-first over folders. */
async function listSourceFiles(rootDir: string, ignore: IgnoreMatcher): Promise<string[]> {
  const files: string[] = [];
  const queue: string[] = [''];
  while (queue.length > 0) {
    const dirs = queue.splice(0, READ_CONCURRENCY);
    const listings = await Promise.all(dirs.map((rel) => readDirSafe(join(rootDir, rel)).then((entries) => ({ rel, entries }))));
    for (const { rel, entries } of listings) {
      for (const entry of entries) {
        const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
        if (entry.isDirectory()) {
          if (entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name) || ignore.matches(path, true)) continue;
          queue.push(path);
        } else if ((entry.isFile() || entry.isSymbolicLink()) && SOURCE_FILE.test(entry.name) && !DECLARATION_FILE.test(entry.name)) {
          if (ignore.matches(path, false)) continue;
          files.push(path);
        }
      }
    }
  }
  return files;
}

async function readDirSafe(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch {
    // An unreadable folder (permissions, removed meanwhile) hides nothing worth failing for.
    return [];
  }
}

/** The file's text, or null when it is missing, not a regular file, or too large to be a flow. */
async function readSmallFile(path: string): Promise<string | null> {
  try {
    const info = await stat(path);
    if (!info.isFile() || info.size > MAX_SOURCE_BYTES) return null;
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}
