import type { PathSegment } from './problems.js';

/** `{{ $NAME }}`, Prefect's environment placeholder. `{{ ctx.… }}` and `{{ step-id.key }}` are other kinds. */
const ENV_PLACEHOLDER = /\{\{\s*\$([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export interface PlaceholderProblem {
  path: PathSegment[];
  message: string;
}

/**
 * Replaces `{{ $NAME }}` in every string value (not in keys) with the variable from `env`. A
 * variable that is not set is a problem naming it; its placeholder is left in place so the rest
 * of the document can still be checked. Values become strings even when the whole value is a
 * placeholder, as in Prefect. Returns a copy; the input is not changed.
 */
export function resolveEnvPlaceholders(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
): { value: unknown; problems: PlaceholderProblem[] } {
  const problems: PlaceholderProblem[] = [];
  const walk = (v: unknown, path: PathSegment[]): unknown => {
    if (typeof v === 'string') {
      if (!v.includes('{{')) return v;
      return v.replace(ENV_PLACEHOLDER, (placeholder, name: string) => {
        const resolved = env[name];
        if (resolved === undefined) {
          problems.push({ path, message: `environment variable ${name} is not set (used as ${placeholder})` });
          return placeholder;
        }
        return resolved;
      });
    }
    if (Array.isArray(v)) return v.map((item, i) => walk(item, [...path, i]));
    if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      const out: Record<string, unknown> = {};
      // defineProperty, so that a `__proto__` key stays a plain key.
      for (const [k, item] of Object.entries(v)) Object.defineProperty(out, k, { value: walk(item, [...path, k]), enumerable: true, writable: true, configurable: true });
      return out;
    }
    return v;
  };
  return { value: walk(value, []), problems };
}
