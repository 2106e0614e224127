import { readFileSync } from 'node:fs';
import { isAlias, LineCounter, parseDocument, visit, type Document } from 'yaml';
import { resolveEnvPlaceholders } from './envPlaceholders.js';
import { BatonYamlError, formatPath, sortProblems, type ConfigProblem, type PathSegment } from './problems.js';
import { batonYamlSchema, type BatonConfig } from './schema.js';
import { lineOf } from './yamlLocate.js';
import { issuesToProblems } from './zodProblems.js';

export const BATON_YAML = 'baton.yaml';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * The outcome of reading a baton.yaml: the parsed config when there is nothing wrong, otherwise
 * null and every problem found (YAML syntax first; if the syntax is fine, every unset environment
 * variable and every schema problem together), sorted by line.
 */
export type BatonYamlResult = { config: BatonConfig; problems: [] } | { config: null; problems: ConfigProblem[] };

/**
 * Reads and checks a baton.yaml. Never throws for a bad or missing file: problems are returned
 * (use `loadBatonYamlOrThrow` to get them as one error). `{{ $NAME }}` placeholders are filled in
 * from `env`; `{{ ctx.… }}` and `{{ step-id.key }}` are left for later steps.
 */
export function loadBatonYaml(path: string, env: Env = process.env): BatonYamlResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? 'file not found (run `baton init` to create one)' : `cannot read the file (${code ?? String(err)})`;
    return { config: null, problems: [{ path: '', message }] };
  }
  return parseBatonYaml(text, env);
}

/** `loadBatonYaml`, throwing a `BatonYamlError` (an `InvalidError`) that lists every problem. */
export function loadBatonYamlOrThrow(path: string, env: Env = process.env): BatonConfig {
  const result = loadBatonYaml(path, env);
  if (result.config === null) throw new BatonYamlError(path, result.problems);
  return result.config;
}

/** Checks baton.yaml text; see `loadBatonYaml`. */
export function parseBatonYaml(text: string, env: Env = process.env): BatonYamlResult {
  const lineCounter = new LineCounter();
  // `merge: true` turns on `<<:` merge keys, which YAML 1.2 leaves off by default.
  const doc = parseDocument(text, { lineCounter, merge: true });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => {
      const line = e.linePos?.[0]?.line;
      // The message ends with "at line L, column C:" and a code frame; the line is reported apart.
      const message = firstLine(e.message).replace(/ at line \d+, column \d+:?$/, '');
      return { path: '', message: `YAML syntax: ${message}`, ...(line !== undefined ? { line } : {}) };
    });
    return { config: null, problems: sortProblems(problems) };
  }
  const aliasProblems = unresolvedAliases(doc, lineCounter);
  if (aliasProblems.length > 0) return { config: null, problems: aliasProblems };
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    // Bad merge sources (`<<: 5`) and alias bombs surface here.
    return { config: null, problems: [{ path: '', message: `YAML: ${firstLine((err as Error).message)}` }] };
  }
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    // Anchors are only defined here; their placeholders count where they are used.
    const { definitions: _definitions, ...rest } = raw as Record<string, unknown>;
    raw = rest;
  }
  const resolved = resolveEnvPlaceholders(raw, env);
  const raws: { path: PathSegment[]; message: string }[] = [...resolved.problems];
  const parsed = batonYamlSchema.safeParse(resolved.value, { reportInput: true });
  if (!parsed.success) raws.push(...issuesToProblems(parsed.error.issues));
  if (raws.length === 0 && parsed.success) return { config: parsed.data, problems: [] };

  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  const seenPaths = new Set<string>();
  for (const { path, message } of raws) {
    const line = lineOf(doc, lineCounter, path);
    const problem: ConfigProblem = { path: formatPath(path), message, ...(line !== undefined ? { line } : {}) };
    // A value used through several aliases is wrong once, where it is written.
    const key = `${problem.line ?? ''}\u0000${String(path[path.length - 1] ?? '')}\u0000${problem.message}`;
    // One problem per value is enough: an empty name need not also be told it has no bad characters.
    if (seen.has(key) || (problem.path !== '' && seenPaths.has(problem.path))) continue;
    seen.add(key);
    seenPaths.add(problem.path);
    problems.push(problem);
  }
  return { config: null, problems: sortProblems(problems) };
}

/** Aliases whose anchor is not defined before them; yaml only notices these when converting. */
function unresolvedAliases(doc: Document, lineCounter: LineCounter): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  visit(doc, {
    Alias(_key, node) {
      if (!isAlias(node) || node.resolve(doc) !== undefined) return;
      const start = node.range?.[0];
      problems.push({
        path: '',
        message: `YAML: unknown alias *${node.source} (define the anchor &${node.source} before using it)`,
        ...(start !== undefined ? { line: lineCounter.linePos(start).line } : {}),
      });
    },
  });
  return problems;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
