import { FlowDefinitionError } from './errors.js';

/** A zod object schema (or one piped from an object, e.g. with `.transform()`), of any zod copy. */
function isObjectSchema(value: unknown): boolean {
  const def = (value as { _zod?: { def?: { type?: string; in?: unknown } } } | null)?._zod?.def;
  if (typeof (value as { safeParse?: unknown } | null)?.safeParse !== 'function' || !def) return false;
  return def.type === 'object' || (def.type === 'pipe' && isObjectSchema(def.in));
}

/**
 * Prefect's `Name` rule, as src/domain/schemas/common.ts states it. Checked by hand, not with zod:
 * the SDK loads in every flow-run process, and a flow without parameters should not pay for zod.
 */
const MAX_NAME_LENGTH = 255;
const KNOWN_OPTIONS = new Set(['name', 'params', 'retries', 'retryDelaySeconds', 'timeoutSeconds', 'description', 'version']);

function nameProblem(name: unknown): string | null {
  if (typeof name !== 'string') return name === undefined ? 'name is required' : 'name must be a string';
  if (name === '') return 'name must not be empty';
  if (name.length > MAX_NAME_LENGTH) return `name must be at most ${MAX_NAME_LENGTH} characters`;
  if (/[/%&><]/.test(name)) return 'name must not contain any of / % & > <';
  return null;
}

function numberProblem(key: string, value: unknown, rule: 'whole' | 'nonNegative' | 'positive'): string | null {
  if (value === undefined) return null;
  if (typeof value !== 'number' || Number.isNaN(value)) return `${key} must be a number`;
  if (rule === 'whole' && !Number.isInteger(value)) return `${key} must be a whole number`;
  if (rule !== 'positive' && value < 0) return `${key} must be 0 or more`;
  if (rule === 'nonNegative' && !Number.isFinite(value)) return `${key} must be finite`;
  if (rule === 'positive' && !(value > 0)) return `${key} must be more than 0`;
  return null;
}

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
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new FlowDefinitionError('flow() needs an options object first, e.g. flow({ name: \'etl\' }, handler)');
  }
  const o = options as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => !KNOWN_OPTIONS.has(k));
  const problems = [
    nameProblem(o.name),
    o.params === undefined || isObjectSchema(o.params) ? null : 'params must be a zod object schema, e.g. z.object({ day: z.string() })',
    numberProblem('retries', o.retries, 'whole'),
    numberProblem('retryDelaySeconds', o.retryDelaySeconds, 'nonNegative'),
    numberProblem('timeoutSeconds', o.timeoutSeconds, 'positive'),
    o.description === undefined || typeof o.description === 'string' ? null : 'description must be a string',
    o.version === undefined || typeof o.version === 'string' ? null : 'version must be a string',
    unknown.length > 0 ? `unknown option${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}` : null,
  ].filter((p): p is string => p !== null);
  if (problems.length > 0) {
    const which = typeof o.name === 'string' && o.name ? ` '${o.name}'` : '';
    throw new FlowDefinitionError(`Invalid options for flow${which}: ${problems.join('; ')}`);
  }
  const typed = o as { name: string; retries?: number; retryDelaySeconds?: number; timeoutSeconds?: number; description?: string; version?: string };
  return {
    name: typed.name,
    retries: typed.retries ?? 0,
    retryDelaySeconds: typed.retryDelaySeconds ?? 0,
    timeoutSeconds: typed.timeoutSeconds === undefined || typed.timeoutSeconds === Infinity ? null : typed.timeoutSeconds,
    description: typed.description ?? null,
    version: typed.version ?? null,
  };
}
