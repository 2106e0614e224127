import type { ErrorDetail } from './errors.js';

/**
 * Pull steps a worker runs before starting a flow run's process (Prefect §5.2): each is an
 * object with one key, the step's qualified name, whose value holds its arguments. Prefect's
 * names (`prefect.deployments.steps.git_clone`) are accepted as well as baton's.
 */
export const PULL_STEPS = {
  git_clone: { required: ['repository'], optional: ['branch', 'access_token', 'include_submodules', 'id', 'requires', 'credentials'] },
  set_working_directory: { required: ['directory'], optional: ['id', 'requires'] },
} as const;
export type PullStepName = keyof typeof PULL_STEPS;

export interface PullStep {
  step: PullStepName;
  args: Record<string, unknown>;
}

const PREFIXES = ['baton.deployments.steps.', 'prefect.deployments.steps.'];

export function pullStepName(qualified: string): PullStepName | null {
  let name = qualified;
  for (const prefix of PREFIXES) if (name.startsWith(prefix)) name = name.slice(prefix.length);
  return Object.hasOwn(PULL_STEPS, name) ? (name as PullStepName) : null;
}

/** Normalises and checks pull steps; returns the steps or the problems (one per bad step). */
export function parsePullSteps(
  steps: readonly Record<string, unknown>[],
  loc: (string | number)[] = ['body', 'pull_steps'],
): { steps: PullStep[]; problems: ErrorDetail[] } {
  const out: PullStep[] = [];
  const problems: ErrorDetail[] = [];
  steps.forEach((raw, i) => {
    const keys = Object.keys(raw);
    const key = keys[0];
    if (keys.length !== 1 || key === undefined) {
      problems.push({ loc: [...loc, i], msg: 'a pull step is an object with exactly one key, the step name', type: 'value_error' });
      return;
    }
    const name = pullStepName(key);
    if (!name) {
      problems.push({
        loc: [...loc, i, key],
        msg: `unknown pull step '${key}'; supported: ${Object.keys(PULL_STEPS).map((s) => `baton.deployments.steps.${s}`).join(', ')}`,
        type: 'value_error',
      });
      return;
    }
    const args = raw[key];
    if (typeof args !== 'object' || args === null || Array.isArray(args)) {
      problems.push({ loc: [...loc, i, key], msg: 'the step arguments must be an object', type: 'value_error' });
      return;
    }
    const spec = PULL_STEPS[name];
    const a = args as Record<string, unknown>;
    for (const field of spec.required) {
      if (typeof a[field] !== 'string' || a[field] === '') {
        problems.push({ loc: [...loc, i, key, field], msg: `${name} needs '${field}' (a non-empty string)`, type: 'missing' });
      }
    }
    const known = new Set<string>([...spec.required, ...spec.optional]);
    for (const field of Object.keys(a)) {
      if (!known.has(field)) {
        problems.push({ loc: [...loc, i, key, field], msg: `unknown argument of ${name}; valid: ${[...known].join(', ')}`, type: 'extra_forbidden' });
      }
    }
    out.push({ step: name, args: a });
  });
  return { steps: out, problems };
}
