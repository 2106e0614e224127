import { Ajv, type ErrorObject } from 'ajv';
import type { ErrorDetail } from './errors.js';

/**
 * Base job templates (Prefect §4.5): `job_configuration` holds `{{ var }}` placeholders that are
 * filled from `variables` (a JSON schema whose property defaults are the pool's defaults),
 * overlaid with the deployment's and then the flow run's `job_variables`.
 */
export interface BaseJobTemplate {
  job_configuration: Record<string, unknown>;
  variables: { type?: string; properties?: Record<string, Record<string, unknown>>; required?: string[] };
}

export const DEFAULT_PROCESS_TEMPLATE: BaseJobTemplate = {
  job_configuration: {
    command: '{{ command }}',
    env: '{{ env }}',
    labels: '{{ labels }}',
    name: '{{ name }}',
    stream_output: '{{ stream_output }}',
    working_dir: '{{ working_dir }}',
  },
  variables: {
    type: 'object',
    properties: {
      name: {
        title: 'Name',
        description: 'Name given to infrastructure created by a worker.',
        type: 'string',
      },
      env: {
        title: 'Environment Variables',
        description: 'Environment variables to set when starting a flow run.',
        type: 'object',
        additionalProperties: { type: 'string' },
      },
      labels: {
        title: 'Labels',
        description: 'Labels applied to infrastructure created by a worker.',
        type: 'object',
        additionalProperties: { type: 'string' },
      },
      command: {
        title: 'Command',
        description:
          'The command that starts a flow run. Leave it empty: the worker then runs the baton engine, which is what you want.',
        type: 'string',
      },
      stream_output: {
        title: 'Stream Output',
        description: "Whether the worker prints the flow run's output in its own terminal.",
        type: 'boolean',
        default: true,
      },
      working_dir: {
        title: 'Working Directory',
        description: 'The directory the flow run starts in. Defaults to the deployment path.',
        type: 'string',
        format: 'path',
      },
    },
  },
};

const ajv = new Ajv({ allErrors: true, strict: false, formats: { path: true, 'date-time': true, uri: true } });

const PLACEHOLDER = /\{\{\s*([^}\s]+)\s*\}\}/g;

/** Names used in `{{ … }}` placeholders that must be declared as variables. */
function placeholders(value: unknown, out: Set<string>): void {
  if (typeof value === 'string') {
    for (const m of value.matchAll(PLACEHOLDER)) {
      const name = m[1] ?? '';
      // ctx.* and baton.*/prefect.* references are resolved by the worker, not by variables.
      if (!/^(ctx|baton|prefect)\./.test(name)) out.add(name);
    }
  } else if (Array.isArray(value)) {
    for (const v of value) placeholders(v, out);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) placeholders(v, out);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Checks a pool's base job template: `{}` or both `job_configuration` and `variables`, every
 * placeholder declared, every default valid. Returns the problems; an empty list means valid.
 */
export function validateBaseJobTemplate(template: Record<string, unknown>): ErrorDetail[] {
  const loc = ['body', 'base_job_template'];
  if (Object.keys(template).length === 0) return [];
  const problems: ErrorDetail[] = [];
  const { job_configuration: jobConfiguration, variables } = template;
  if (!isPlainObject(jobConfiguration)) {
    problems.push({ loc: [...loc, 'job_configuration'], msg: 'must be an object', type: 'value_error' });
  }
  if (!isPlainObject(variables)) {
    problems.push({ loc: [...loc, 'variables'], msg: 'must be a JSON schema object', type: 'value_error' });
  }
  if (problems.length > 0) return problems;
  const vars = variables as BaseJobTemplate['variables'];
  const props = isPlainObject(vars.properties) ? vars.properties : {};
  const used = new Set<string>();
  placeholders(jobConfiguration, used);
  for (const name of used) {
    if (!(name in props)) {
      problems.push({
        loc: [...loc, 'job_configuration'],
        msg: `The variables specified in the job configuration template must be present as properties in the variables schema. Missing: '${name}'.`,
        type: 'value_error',
      });
    }
  }
  for (const [name, schema] of Object.entries(props)) {
    if (!isPlainObject(schema) || !('default' in schema) || schema.default === null) continue;
    try {
      const { default: def, ...rest } = schema;
      if (!ajv.validate(rest, def)) {
        problems.push({
          loc: [...loc, 'variables', 'properties', name, 'default'],
          msg: `default is invalid: ${ajv.errorsText(ajv.errors)}`,
          type: 'value_error',
        });
      }
    } catch (err) {
      problems.push({
        loc: [...loc, 'variables', 'properties', name],
        msg: `is not a valid JSON schema: ${(err as Error).message}`,
        type: 'value_error',
      });
    }
  }
  return problems;
}

/** Expands dot keys (`"env.FOO": "1"` → `{env: {FOO: "1"}}`), merging into existing objects. */
export function expandDotKeys(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    const dot = key.indexOf('.');
    if (dot > 0) {
      const head = key.slice(0, dot);
      const current = isPlainObject(out[head]) ? (out[head] as Record<string, unknown>) : {};
      out[head] = { ...current, ...expandDotKeys({ [key.slice(dot + 1)]: value }) };
    } else if (isPlainObject(value) && isPlainObject(out[key])) {
      out[key] = { ...(out[key] as Record<string, unknown>), ...value };
    } else {
      out[key] = value;
    }
  }
  return out;
}

function ajvDetails(errors: ErrorObject[] | null | undefined, loc: (string | number)[]): ErrorDetail[] {
  return (errors ?? []).map((e) => {
    const path = e.instancePath.split('/').filter(Boolean);
    const extra =
      e.keyword === 'additionalProperties'
        ? ` '${String((e.params as { additionalProperty?: string }).additionalProperty)}'`
        : '';
    return { loc: [...loc, ...path], msg: `${e.message ?? 'is invalid'}${extra}`, type: e.keyword };
  });
}

/**
 * Validates job variables against a pool's variables schema. Keys the schema does not declare are
 * refused (naming the valid ones) unless the schema itself allows additional properties; required
 * variables are not enforced here because a flow run may still supply them.
 */
export function validateJobVariables(
  template: Record<string, unknown>,
  jobVariables: Record<string, unknown>,
  loc: (string | number)[] = ['body', 'job_variables'],
): ErrorDetail[] {
  const variables = isPlainObject(template.variables) ? (template.variables as BaseJobTemplate['variables']) : null;
  if (!variables) return [];
  const expanded = expandDotKeys(jobVariables);
  const properties = variables.properties ?? {};
  const problems: ErrorDetail[] = [];
  if (!('additionalProperties' in variables)) {
    for (const key of Object.keys(expanded)) {
      if (!(key in properties)) {
        problems.push({
          loc: [...loc, key],
          msg: `is not a job variable of this work pool; valid ones are: ${Object.keys(properties).join(', ') || '(none)'}`,
          type: 'extra_forbidden',
        });
      }
    }
  }
  const { required: _required, ...schema } = variables;
  // null means "use the default": drop nulls before validating types.
  const present = Object.fromEntries(Object.entries(expanded).filter(([, v]) => v !== null));
  try {
    if (!ajv.validate({ ...schema, additionalProperties: true }, present)) {
      problems.push(...ajvDetails(ajv.errors, loc));
    }
  } catch (err) {
    problems.push({ loc, msg: `the pool's variables schema is invalid: ${(err as Error).message}`, type: 'value_error' });
  }
  return problems;
}

/** Default values of a template's variables (non-null only). */
export function variableDefaults(template: Record<string, unknown>): Record<string, unknown> {
  const variables = isPlainObject(template.variables) ? (template.variables as BaseJobTemplate['variables']) : null;
  const out: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(variables?.properties ?? {})) {
    if (isPlainObject(schema) && schema.default !== undefined && schema.default !== null) out[name] = schema.default;
  }
  return out;
}

/**
 * Fills a template's `job_configuration` with variable values: a placeholder that is the whole
 * string keeps the value's JSON type; placeholders inside a longer string are replaced as text;
 * placeholders without a value become null (whole) or '' (inside text).
 */
export function renderJobConfiguration(
  template: Record<string, unknown>,
  ...overlays: Record<string, unknown>[]
): Record<string, unknown> {
  const jobConfiguration = isPlainObject(template.job_configuration) ? template.job_configuration : {};
  let values: Record<string, unknown> = variableDefaults(template);
  for (const overlay of overlays) {
    for (const [key, value] of Object.entries(expandDotKeys(overlay))) {
      if (value === null || value === undefined) continue;
      const current = values[key];
      values = {
        ...values,
        [key]: isPlainObject(current) && isPlainObject(value) ? { ...current, ...value } : value,
      };
    }
  }
  return apply(jobConfiguration, values) as Record<string, unknown>;
}

function apply(value: unknown, values: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    const whole = /^\{\{\s*([^}\s]+)\s*\}\}$/.exec(value);
    if (whole) return values[whole[1] ?? ''] ?? null;
    return value.replace(PLACEHOLDER, (_m, name: string) => {
      const v = values[name];
      return v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
    });
  }
  if (Array.isArray(value)) return value.map((v) => apply(v, values));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, apply(v, values)]));
  return value;
}
