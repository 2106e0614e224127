import { BadRequestError, type ErrorDetail } from '../domain/errors.js';

/**
 * What `baton deployment run` makes of `--param k=v`, `--params JSON`, `--job-variable k=v` and
 * `--flow-run-name`, and how it words the server's verdict on parameters.
 */

/** A value as typed: JSON when it parses (`5`, `true`, `[1,2]`, `"5"`), else the text itself. */
export function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `k=v` pairs of a repeatable flag; a later pair for the same key wins. */
export function parsePairs(pairs: readonly string[], flag: string): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? '' : pair.slice(0, eq).trim();
    if (key === '') throw new BadRequestError(`${flag} '${pair}' is not key=value (e.g. ${flag} name=world).`);
    result[key] = parseValue(pair.slice(eq + 1));
  }
  return result;
}

/** The JSON object of `--params` (read from stdin when it is `-`). */
export function parseParamsJson(text: string, source: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new BadRequestError(`${source} is not valid JSON: ${(err as Error).message}.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new BadRequestError(`${source} must be a JSON object of parameters, e.g. '{"name": "world"}'.`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * The parameter names a deployment's schema declares, or null when it declares none (no schema,
 * or one without `properties`): then any name may be right and only the server can judge.
 */
export function declaredParameters(schema: Record<string, unknown> | null | undefined): string[] | null {
  const properties = schema?.properties;
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) return null;
  return Object.keys(properties);
}

/** The `default` of each declared parameter that has one. */
export function schemaDefaults(schema: Record<string, unknown> | null | undefined): Record<string, unknown> {
  const properties = schema?.properties;
  if (typeof properties !== 'object' || properties === null) return {};
  const defaults: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(properties as Record<string, unknown>)) {
    if (typeof property === 'object' && property !== null && 'default' in property) defaults[name] = (property as { default: unknown }).default;
  }
  return defaults;
}

/** Refuses names the schema does not declare, listing the ones it does. */
export function checkParameterNames(parameters: Record<string, unknown>, schema: Record<string, unknown> | null | undefined, deployment: string): void {
  const valid = declaredParameters(schema);
  if (valid === null) return;
  const unknown = Object.keys(parameters).filter((k) => !valid.includes(k));
  if (unknown.length === 0) return;
  const names = unknown.map((k) => `'${k}'`).join(', ');
  const listed = valid.length === 0 ? 'it takes no parameters' : `valid parameters: ${[...valid].sort().join(', ')}`;
  throw new BadRequestError(`Unknown parameter${unknown.length === 1 ? '' : 's'} ${names} for deployment '${deployment}'; ${listed}.`);
}

function display(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** `--flow-run-name "etl-{day}"`: `{param}` is replaced by that parameter, `{{` and `}}` are braces. */
export function formatRunName(template: string, parameters: Record<string, unknown>): string {
  return template.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (match, key: string | undefined) => {
    if (match === '{{') return '{';
    if (match === '}}') return '}';
    const name = (key ?? '').trim();
    if (!(name in parameters)) {
      const known = Object.keys(parameters);
      throw new BadRequestError(
        `--flow-run-name refers to {${name}}, which is not among the run's parameters${known.length ? ` (${known.sort().join(', ')})` : ''}.`,
      );
    }
    return display(parameters[name]);
  });
}

/**
 * The server's 422 problems as one line naming each bad parameter: loc `['body','parameters',
 * 'count']` with msg `/count: must be >= 0` reads "count must be >= 0".
 */
export function describeProblems(details: readonly ErrorDetail[]): string {
  return details
    .map((d) => {
      const loc = (d.loc ?? []).filter((l) => l !== 'body').map(String);
      const msg = d.msg.replace(/^\/\S*: /, '');
      if (loc[0] === 'parameters' && loc.length > 1) return `parameter '${loc.slice(1).join('.')}' ${msg}`;
      if (loc[0] === 'job_variables' && loc.length > 1) return `job variable '${loc.slice(1).join('.')}' ${msg}`;
      return `${loc.join('.') || 'request'}: ${msg}`;
    })
    .join('; ');
}
