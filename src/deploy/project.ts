import { existsSync, readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { BatonYamlError, loadBatonYaml, type BatonConfig, type Env, type PullStep } from './config/index.js';
import { lineOf } from './config/yamlLocate.js';
import type { LineLocator } from './problems.js';

/** baton.yaml as `baton deploy` uses it. */
export interface Project {
  /** The file as the user named it, for messages. */
  file: string;
  /** Null when there is no baton.yaml (and none was asked for). */
  config: BatonConfig | null;
  /**
   * Pull steps for a deployment (its own `pull`, else the file's), undefined for none. Their
   * `{{ $VAR }}` placeholders are kept: the worker fills them in from its own environment, so a
   * token never travels to the server and the deploying machine need not have it.
   */
  pullStepsOf(index: number | null): PullStep[] | undefined;
  /** The line of a path in the file. */
  locate: LineLocator;
}

const PULL_PATH = /^(?:pull|deployments\[\d+\]\.pull)(?:[.[]|$)/;

/**
 * Reads and validates baton.yaml as a whole; throws a BatonYamlError listing every problem.
 * A missing file is fine unless `explicit` (the user passed --baton-file).
 */
export function loadProject(path: string, file: string, explicit: boolean, env: Env): Project {
  if (!explicit && !existsSync(path)) return { file, config: null, pullStepsOf: () => undefined, locate: () => undefined };
  const withEnv = loadBatonYaml(path, env);
  // Placeholders inside pull steps are the worker's to fill in: an unset variable there is fine.
  const problems = withEnv.problems.filter((p) => !(PULL_PATH.test(p.path) && /^environment variable \S+ is not set/.test(p.message)));
  if (problems.length > 0) throw new BatonYamlError(file, problems);
  // Unset variables stay as placeholders here, so the whole file validates when only pull steps
  // used them.
  const keepUnset = new Proxy(env, { get: (target, name) => (typeof name === 'string' ? (target[name] ?? `{{ $${name} }}`) : undefined) });
  const config = withEnv.config ?? loadBatonYaml(path, keepUnset).config;
  if (!config) throw new BatonYamlError(file, withEnv.problems);
  const verbatim = loadBatonYaml(path, new Proxy({}, { get: (_t, name) => (typeof name === 'string' ? `{{ $${name} }}` : undefined) })).config ?? config;
  return {
    file,
    config,
    pullStepsOf: (index) => {
      const own = index === null ? undefined : verbatim.deployments[index]?.pull;
      return own ?? verbatim.pull;
    },
    locate: lineLocator(path),
  };
}

function lineLocator(path: string): LineLocator {
  let cached: LineLocator | undefined;
  return (p) => {
    if (!cached) {
      const lineCounter = new LineCounter();
      const doc = parseDocument(readFileSync(path, 'utf8'), { lineCounter, merge: true });
      cached = (q) => lineOf(doc, lineCounter, q);
    }
    return cached(p);
  };
}
