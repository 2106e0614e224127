import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { definitionOf, type FlowDefinition } from '../sdk/definition.js';
import { describeError, oneLine, RunSetupError } from './setupError.js';

/** Splits `path/to/file.ts:exportName` (the last colon, so Windows drive letters survive). */
export function parseEntrypoint(entrypoint: string): { file: string; exportName: string } {
  const at = entrypoint.lastIndexOf(':');
  if (at <= 0 || at === entrypoint.length - 1) {
    throw new RunSetupError(`Entrypoint '${entrypoint}' must look like 'path/to/file.ts:exportName'`);
  }
  return { file: entrypoint.slice(0, at), exportName: entrypoint.slice(at + 1) };
}

/**
 * Imports the entrypoint's file (TypeScript through baton's loader hooks, see loaderHooks.ts) and returns
 * the flow it exports. Every way this can go wrong is a RunSetupError with a one-line reason.
 */
export async function loadFlow(entrypoint: string, dir: string): Promise<FlowDefinition> {
  const { file, exportName } = parseEntrypoint(entrypoint);
  const path = isAbsolute(file) ? file : resolve(dir, file);
  if (!statSync(path, { throwIfNoEntry: false })?.isFile()) {
    throw new RunSetupError(`Entrypoint file '${file}' not found in ${dir}`);
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    const hint = (error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND' ? ' (is the package installed in a node_modules folder above the flow file?)' : '';
    throw new RunSetupError(`Could not import '${file}': ${oneLine(error)}${hint}`, `Could not import '${file}':\n${describeError(error)}`);
  }
  const value = exportName in mod ? mod[exportName] : commonJsExport(mod, exportName);
  if (value === undefined && !(exportName in mod)) {
    const names = Object.keys(mod);
    throw new RunSetupError(`'${file}' has no export '${exportName}' (exports: ${names.length ? names.join(', ') : 'none'})`);
  }
  const def = definitionOf(value);
  if (!def) throw new RunSetupError(`Export '${exportName}' of '${file}' is not a flow: wrap it with flow(...)`);
  return def;
}

/** A CommonJS file's exports may only be reachable through `default` (module.exports). */
function commonJsExport(mod: Record<string, unknown>, name: string): unknown {
  const exports = mod.default;
  return typeof exports === 'object' && exports !== null ? (exports as Record<string, unknown>)[name] : undefined;
}
