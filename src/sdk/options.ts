import { z } from 'zod';
import { FlowDefinitionError } from './errors.js';

/** A zod object schema (or one piped from an object, e.g. with `.transform()`), of any zod copy. */
function isObjectSchema(value: unknown): boolean {
  const def = (value as { _zod?: { def?: { type?: string; in?: unknown } } } | null)?._zod?.def;
  if (typeof (value as { safeParse?: unknown } | null)?.safeParse !== 'function' || !def) return false;
  return def.type === 'object' || (def.type === 'pipe' && isObjectSchema(def.in));
}

/**
 * Prefect's `Name` rule, as src/domain/schemas/common.ts states it. Not imported from there: that
 * module configures zod's global error map, and a user's flow process must keep zod as they set it.
 */
const MAX_NAME_LENGTH = 255;
const nameSchema = z
  .string('must be a string')
  .min(1, 'must not be empty')
  .max(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters`)
  .regex(/^[^/%&><]+$/, 'must not contain any of / % & > <');

const optionsSchema = z.strictObject({
  name: nameSchema,
  params: z.custom((v) => isObjectSchema(v), 'must be a zod object schema, e.g. z.object({ day: z.string() })').optional(),
  retries: z.number('must be a number').int('must be a whole number').min(0, 'must be 0 or more').optional(),
  retryDelaySeconds: z.number('must be a number').min(0, 'must be 0 or more').finite('must be finite').optional(),
  timeoutSeconds: z.number('must be a number').positive('must be more than 0').optional(),
  description: z.string('must be a string').optional(),
  version: z.string('must be a string').optional(),
});

export interface NormalizedOptions {
  name: string;
  retries: number;
  retryDelaySeconds: number;
  timeoutSeconds: number | null;
  description: string | null;
  version: string | null;
}

/** Checks flow() options and fills in defaults; throws one error listing every problem. */
export function normalizeOptions(options: unknown): NormalizedOptions {
  const result = optionsSchema.safeParse(options);
  if (!result.success) {
    const name = (options as { name?: unknown } | null)?.name;
    const which = typeof name === 'string' && name ? ` '${name}'` : '';
    const problems = result.error.issues.map((i) => {
      if (i.code === 'unrecognized_keys') return `unknown option${i.keys.length > 1 ? 's' : ''} ${i.keys.join(', ')}`;
      return i.path.length ? `${i.path.join('.')} ${i.message}` : i.message;
    });
    throw new FlowDefinitionError(`Invalid options for flow${which}: ${problems.join('; ')}`);
  }
  const o = result.data;
  return {
    name: o.name,
    retries: o.retries ?? 0,
    retryDelaySeconds: o.retryDelaySeconds ?? 0,
    timeoutSeconds: o.timeoutSeconds === undefined || o.timeoutSeconds === Infinity ? null : o.timeoutSeconds,
    description: o.description ?? null,
    version: o.version ?? null,
  };
}
