import { z } from 'zod';
import { describeValue, strictObject } from './zodProblems.js';

/**
 * Pull steps as written in baton.yaml (Prefect's step format): a list of one-key mappings,
 * `- <qualified step name>: {id?, …args}`. Prefect's names (`prefect.deployments.steps.git_clone`),
 * baton's (`baton.deployments.steps.git_clone`) and the bare name are the same step. Parsed into
 * `{ step, id?, args }`. Running them is another module's job.
 */

const nonEmpty = z.string().min(1, 'must not be empty');

export const gitCloneArgsSchema = strictObject({
  repository: nonEmpty,
  branch: nonEmpty.optional(),
  access_token: z.string().optional(),
  include_submodules: z.boolean().optional(),
});

export const setWorkingDirectoryArgsSchema = strictObject({
  directory: nonEmpty,
});

export type GitCloneArgs = z.infer<typeof gitCloneArgsSchema>;
export type SetWorkingDirectoryArgs = z.infer<typeof setWorkingDirectoryArgsSchema>;

export type PullStep =
  | { step: 'git_clone'; id?: string; args: GitCloneArgs }
  | { step: 'set_working_directory'; id?: string; args: SetWorkingDirectoryArgs };

export type PullStepName = PullStep['step'];

const ARG_SCHEMAS = {
  git_clone: gitCloneArgsSchema,
  set_working_directory: setWorkingDirectoryArgsSchema,
} as const;

export const SUPPORTED_PULL_STEPS = Object.keys(ARG_SCHEMAS) as PullStepName[];
const STEP_PREFIXES = ['baton.deployments.steps.', 'prefect.deployments.steps.'];

/** `prefect.deployments.steps.git_clone` / `baton.deployments.steps.git_clone` / `git_clone` → `git_clone`. */
export function normalizeStepName(qualified: string): PullStepName | null {
  let name = qualified.trim();
  for (const prefix of STEP_PREFIXES) {
    if (name.startsWith(prefix)) {
      name = name.slice(prefix.length);
      break;
    }
  }
  return (SUPPORTED_PULL_STEPS as string[]).includes(name) ? (name as PullStepName) : null;
}

const stepSchema = z.unknown().transform((raw, ctx): PullStep => {
  const fail = (message: string, path: (string | number)[] = []): PullStep => {
    ctx.addIssue({ code: 'custom', message, path, input: raw });
    return z.NEVER;
  };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return fail(`expected a step such as '- baton.deployments.steps.git_clone: {repository: …}', got ${describeValue(raw)}`);
  }
  const keys = Object.keys(raw);
  if (keys.length !== 1) {
    return fail(`a step is a mapping with exactly one key, the step's name; found ${keys.length === 0 ? 'none' : keys.map((k) => `'${k}'`).join(', ')}`);
  }
  const qualified = keys[0] as string;
  const step = normalizeStepName(qualified);
  if (!step) {
    return fail(
      `unknown pull step '${qualified}'; baton supports ${SUPPORTED_PULL_STEPS.join(' and ')} (also written baton.deployments.steps.<name> or prefect.deployments.steps.<name>)`,
      [qualified],
    );
  }
  const rawArgs: unknown = (raw as Record<string, unknown>)[qualified] ?? {};
  if (typeof rawArgs !== 'object' || rawArgs === null || Array.isArray(rawArgs)) {
    return fail(`expected the step's arguments as a mapping, got ${describeValue(rawArgs)}`, [qualified]);
  }
  const { id, ...args } = rawArgs as Record<string, unknown>;
  let ok = true;
  if (id !== undefined && (typeof id !== 'string' || id === '')) {
    ok = false;
    ctx.addIssue({ code: 'custom', message: `expected a non-empty string, got ${describeValue(id)}`, path: [qualified, 'id'], input: id });
  }
  const parsed = ARG_SCHEMAS[step].safeParse(args, { reportInput: true });
  if (!parsed.success) {
    ok = false;
    for (const issue of parsed.error.issues) {
      ctx.addIssue({ ...issue, path: [qualified, ...issue.path] } as unknown as Parameters<typeof ctx.addIssue>[0]);
    }
  }
  if (!ok || !parsed.success) return z.NEVER;
  return { step, ...(typeof id === 'string' ? { id } : {}), args: parsed.data } as PullStep;
});

/**
 * A step list; a single step mapping is accepted too, as in Prefect. `null` means "not set" and
 * is handled by the caller; `[]` is an explicit "no pull steps".
 */
export const pullStepsSchema = z.preprocess(
  (value) => (value !== null && typeof value === 'object' && !Array.isArray(value) ? [value] : value),
  z.array(stepSchema),
);

/** `build` and `push`: baton runs TypeScript as it is, so only "none" is accepted. */
export function noStepsSchema(section: 'build' | 'push') {
  return z.unknown().superRefine((value, ctx) => {
    if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return;
    ctx.addIssue({
      code: 'custom',
      message: `baton has no ${section} steps (workers run your TypeScript directly); remove '${section}' or set it to null`,
      input: value,
    });
  });
}
