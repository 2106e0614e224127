import { createRequire } from 'node:module';
import type { z as Zod } from 'zod';
import { definitionOf } from './definition.js';
import { isEmptyParams } from './emptyParams.js';

/** zod, loaded on first use: deploying needs it, running a flow without parameters does not. */
function zod(): typeof Zod {
  return (createRequire(import.meta.url)('zod') as { z: typeof Zod }).z;
}

/** A JSON Schema object as the API stores it in `parameter_openapi_schema`. */
export type ParameterSchema = Record<string, unknown> & { type: 'object'; properties: Record<string, unknown> };

/**
 * The JSON Schema of a flow's parameters, for `parameter_openapi_schema`. The *input* side, so a
 * parameter with a default is not required; draft-07, whose `definitions` are what Prefect's UI
 * and clients expect. Values JSON cannot express (dates, bigints) become strings or anything.
 */
export function parameterSchema(flow: unknown): ParameterSchema {
  const def = definitionOf(flow);
  if (!def) throw new TypeError('parameterSchema() needs a flow made with flow(…)');
  if (isEmptyParams(def.params)) return { title: 'Parameters', type: 'object', properties: {}, additionalProperties: false };
  const json = zod().toJSONSchema(def.params as unknown as Zod.ZodType, {
    io: 'input',
    target: 'draft-07',
    unrepresentable: ({ zodSchema }) => (zodSchema._zod.def.type === 'date' ? { type: 'string', format: 'date-time' } : 'any'),
  }) as Record<string, unknown>;
  const { $schema: _ignored, ...rest } = json;
  const cleaned = stripSafeIntegerBounds(rest) as Record<string, unknown>;
  const required = Array.isArray(cleaned.required) && cleaned.required.length > 0 ? { required: cleaned.required } : {};
  delete cleaned.required;
  // A plain z.object() drops unknown keys: a parameter the flow does not declare is a typo that
  // would vanish silently, so the server refuses it (z.looseObject() keeps extras allowed).
  if (cleaned.additionalProperties === undefined) cleaned.additionalProperties = false;
  return { title: 'Parameters', ...cleaned, type: 'object', properties: (cleaned.properties ?? {}) as Record<string, unknown>, ...required };
}

/** zod writes ±Number.MAX_SAFE_INTEGER bounds for `.int()`; they only clutter forms and docs. */
function stripSafeIntegerBounds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripSafeIntegerBounds);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === 'maximum' && v === Number.MAX_SAFE_INTEGER) continue;
    if (key === 'minimum' && v === Number.MIN_SAFE_INTEGER) continue;
    out[key] = stripSafeIntegerBounds(v);
  }
  return out;
}
