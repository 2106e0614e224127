import { InvalidError } from '../domain/errors.js';
import { formatPath, formatProblem, type PathSegment } from './config/problems.js';
import type { Origin } from './spec.js';

/** Something that stops a deployment, and where to fix it. */
export interface DeployProblem {
  origin: Origin;
  /** Further into the value: `['day']` under `parameters`. */
  subpath?: PathSegment[];
  /** The deployment it concerns, when the origin alone does not say (flags, wizard). */
  label?: string;
  message: string;
}

/** Finds the line of a baton.yaml path, when there is a file. */
export type LineLocator = (path: readonly PathSegment[]) => number | undefined;

/**
 * `baton.yaml:12 deployments[0].parameters.day: expected a string`, `--param day: expected a
 * string`, `etl/default: …`: the same shape as baton.yaml's own problems.
 */
export function formatDeployProblem(p: DeployProblem, file: string, locate: LineLocator): string {
  const sub = p.subpath ?? [];
  if (p.origin.kind === 'yaml') {
    const path = [...p.origin.path, ...sub];
    const line = locate(path);
    return formatProblem(file, { path: formatPath(path), message: p.message, ...(line !== undefined ? { line } : {}) });
  }
  const prefix = p.origin.kind === 'flag' ? [p.origin.flag, sub.length > 0 ? formatPath(sub) : ''].filter(Boolean).join(' ') : '';
  const where = [p.label, prefix].filter(Boolean).join(' ');
  return where === '' ? p.message : `${where}: ${p.message}`;
}

/** Every problem found before anything was written, in one error (main prints it and exits 1). */
export class DeployProblemsError extends InvalidError {
  override readonly name = 'DeployProblemsError';
  constructor(readonly lines: readonly string[]) {
    super(
      `Nothing was deployed: ${lines.length} ${lines.length === 1 ? 'problem' : 'problems'} to fix first:\n${lines.map((l) => `  ${l}`).join('\n')}`,
      lines.map((l) => ({ loc: [], msg: l, type: 'value_error' })),
    );
  }
}

/** Throws when there are problems. */
export function throwIfProblems(problems: readonly DeployProblem[], file: string, locate: LineLocator): void {
  if (problems.length === 0) return;
  // In file order, as baton.yaml's own problems are; problems with flags keep theirs, last.
  const lineOf = (p: DeployProblem): number => (p.origin.kind === 'yaml' ? (locate([...p.origin.path, ...(p.subpath ?? [])]) ?? Number.MAX_SAFE_INTEGER) : Number.MAX_SAFE_INTEGER);
  const sorted = problems.map((p, i) => ({ p, i, line: lineOf(p) })).sort((a, b) => a.line - b.line || a.i - b.i);
  throw new DeployProblemsError([...new Set(sorted.map(({ p }) => formatDeployProblem(p, file, locate)))]);
}
