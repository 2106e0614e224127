import { InvalidError } from '../../domain/errors.js';

export type PathSegment = string | number;

/** One thing wrong with a baton.yaml: where (path and, when known, 1-based line) and what. */
export interface ConfigProblem {
  /** `deployments[1].schedules[0].cron`; empty for problems with the file as a whole. */
  path: string;
  line?: number;
  message: string;
}

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/** `['deployments', 1, 'schedules', 0, 'cron']` → `deployments[1].schedules[0].cron`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (PLAIN_KEY.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** `baton.yaml:12 deployments[0].schedules[1].interval: expected …` (line and path when known). */
export function formatProblem(file: string, problem: ConfigProblem): string {
  const where = problem.line === undefined ? file : `${file}:${problem.line}`;
  return problem.path === '' ? `${where}: ${problem.message}` : `${where} ${problem.path}: ${problem.message}`;
}

/** Sorts problems by line (problems without one last), keeping the order of equal lines. */
export function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.line ?? Number.MAX_SAFE_INTEGER) - (b.p.line ?? Number.MAX_SAFE_INTEGER) || a.i - b.i)
    .map(({ p }) => p);
}

/**
 * Every problem of a baton.yaml in one error, for callers that prefer throwing: the message has
 * one `file:line path: message` line per problem, `problems` keeps them structured.
 */
export class BatonYamlError extends InvalidError {
  override readonly name = 'BatonYamlError';
  constructor(
    readonly file: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      `${file} is not valid (${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}):\n${problems.map((p) => `  ${formatProblem(file, p)}`).join('\n')}`,
      problems.map((p) => ({ loc: p.path === '' ? [] : [p.path], msg: p.message, type: 'value_error' })),
    );
  }
}
