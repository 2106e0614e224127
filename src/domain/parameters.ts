import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { ErrorDetail } from './errors.js';

/**
 * Run parameters are checked against the deployment's `parameter_openapi_schema` (the JSON Schema
 * of the flow's zod `params`) at the API boundary, for every way a run is created (schedule, UI,
 * CLI, curl): bad parameters are refused when the run is created, not when it starts.
 */
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const cache = new Map<string, ValidateFunction>();

function compile(schema: Record<string, unknown>, requireAll: boolean): ValidateFunction {
  const key = `${requireAll ? 'r' : 'o'}:${JSON.stringify(schema)}`;
  let validate = cache.get(key);
  if (!validate) {
    const effective = requireAll ? schema : withoutRequired(schema);
    validate = ajv.compile(effective);
    if (cache.size > 500) cache.clear();
    cache.set(key, validate);
  }
  return validate;
}

/** The schema with top-level `required` removed: deployment defaults may leave parameters to each run. */
function withoutRequired(schema: Record<string, unknown>): Record<string, unknown> {
  const { required: _required, ...rest } = schema;
  return rest;
}

function describe(error: ErrorObject): { pointer: string; msg: string } {
  let pointer = error.instancePath;
  let msg = error.message ?? 'is invalid';
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') {
    pointer = `${pointer}/${String(params.missingProperty)}`;
    msg = 'is required';
  } else if (error.keyword === 'additionalProperties') {
    pointer = `${pointer}/${String(params.additionalProperty)}`;
    msg = 'is not a parameter of this flow';
  } else if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    msg = `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return { pointer: pointer === '' ? '/' : pointer, msg };
}

/**
 * Validates parameters. `requireAll` enforces the schema's required fields (a run's final
 * parameters); without it only the given values are checked (a deployment's defaults).
 * Returns one problem per failing parameter, located by JSON pointer.
 */
export function validateParameters(
  schema: Record<string, unknown> | null,
  parameters: Record<string, unknown>,
  options: { requireAll: boolean; loc?: (string | number)[] },
): ErrorDetail[] {
  if (!schema || Object.keys(schema).length === 0) return [];
  let validate: ValidateFunction;
  try {
    validate = compile(schema, options.requireAll);
  } catch (err) {
    return [{ loc: ['body', 'parameter_openapi_schema'], msg: `is not a valid JSON schema: ${(err as Error).message}`, type: 'value_error' }];
  }
  if (validate(parameters)) return [];
  const loc = options.loc ?? ['body', 'parameters'];
  const seen = new Set<string>();
  const details: ErrorDetail[] = [];
  for (const error of validate.errors ?? []) {
    const { pointer, msg } = describe(error);
    const key = `${pointer} ${msg}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const path = pointer.split('/').filter(Boolean).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    details.push({ loc: [...loc, ...path], msg: `${pointer}: ${msg}`, type: error.keyword });
  }
  return details;
}

/** Checks that a parameter schema is itself a usable JSON Schema. */
export function checkParameterSchema(schema: Record<string, unknown>): ErrorDetail[] {
  try {
    compile(schema, true);
    return [];
  } catch (err) {
    return [{ loc: ['body', 'parameter_openapi_schema'], msg: `is not a valid JSON schema: ${(err as Error).message}`, type: 'value_error' }];
  }
}
