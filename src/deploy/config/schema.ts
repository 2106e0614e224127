import { z } from 'zod';
import { nameSchema, tagsSchema } from '../../domain/schemas/common.js';
import { scheduleSchema, schedulesSchema, type ScheduleConfig } from './scheduleSchema.js';
import { noStepsSchema, pullStepsSchema } from './stepsSchema.js';
import { describeValue, strictObject } from './zodProblems.js';

/**
 * baton.yaml, shaped like Prefect's prefect.yaml (§5.2) so its users recognise it. Keys keep the
 * file's snake_case, as the REST API does. The parsed form is normalised: schedules are a list
 * (a legacy single `schedule:` becomes one item), intervals are seconds, pull steps are
 * `{step, id?, args}`, `concurrency_limit` is `{limit, …}`, and `pull: null` is the same as no
 * `pull` (so `pull: []`, "no pull steps", stays distinct from "not configured").
 */

const ENTRYPOINT = /^.+\.(?:ts|mts|js|mjs):[A-Za-z_$][\w$]*$/;

const entrypointSchema = z.string().superRefine((value, ctx) => {
  if (ENTRYPOINT.test(value)) return;
  ctx.addIssue({
    code: 'custom',
    message: `expected path/to/file.ts:exportName (a .ts, .mts, .js or .mjs file, a colon, the export), got ${describeValue(value)}`,
    input: value,
  });
});

const jsonObject = z.record(z.string(), z.unknown());
const positiveInt = z.number().int('must be a whole number').min(1, 'must be a whole number ≥ 1');

const concurrencyObject = strictObject({
  limit: positiveInt,
  collision_strategy: z.enum(['ENQUEUE', 'CANCEL_NEW']).optional(),
  grace_period_seconds: z.number().int('must be a whole number').min(60, 'must be between 60 and 86400').max(86_400, 'must be between 60 and 86400').optional(),
});

/** `2` or `{limit: 2, collision_strategy: CANCEL_NEW}`, both parsed to the object form. */
const concurrencySchema = z.preprocess((value, ctx) => {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 1) return { limit: value };
    ctx.addIssue({ code: 'custom', message: `must be a whole number ≥ 1, got ${describeValue(value)}`, input: value });
    return z.NEVER;
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value;
  ctx.addIssue({ code: 'custom', message: `expected a whole number ≥ 1 or {limit, collision_strategy}, got ${describeValue(value)}`, input: value });
  return z.NEVER;
}, concurrencyObject);

const workPoolSchema = strictObject({
  name: z.string().min(1, 'must not be empty').nullish(),
  work_queue_name: z.string().min(1, 'must not be empty').nullish(),
  job_variables: jsonObject.nullish(),
});

const deploymentFields = strictObject({
  name: nameSchema,
  entrypoint: entrypointSchema.optional(),
  /** Prefect's explicit flow name; otherwise the flow's own name is used. */
  flow_name: z.string().min(1, 'must not be empty').optional(),
  description: z.string().nullish(),
  version: z.string().nullish(),
  tags: tagsSchema.nullish(),
  parameters: jsonObject.nullish(),
  work_pool: workPoolSchema.nullish(),
  schedules: schedulesSchema.nullish(),
  /** Prefect's older single-schedule key; becomes `schedules: [it]`. */
  schedule: scheduleSchema.optional(),
  concurrency_limit: concurrencySchema.nullish(),
  enforce_parameter_schema: z.boolean().optional(),
  paused: z.boolean().optional(),
  build: noStepsSchema('build').optional(),
  push: noStepsSchema('push').optional(),
  pull: pullStepsSchema.optional(),
});

/** Nulls that mean "not set": `pull: null`, and Prefect's template `schedule: {}` / `schedule: null`. */
function dropUnsetKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  if (copy.pull === null) delete copy.pull;
  const legacy = copy.schedule;
  if (legacy === null || (typeof legacy === 'object' && !Array.isArray(legacy) && Object.keys(legacy).length === 0)) delete copy.schedule;
  return copy;
}

export const deploymentSchema = z
  .preprocess(
    dropUnsetKeys,
    deploymentFields.superRefine(
      (d, ctx) => {
        if (typeof d !== 'object' || d === null) return;
        if (d.schedule !== undefined && d.schedules !== undefined && d.schedules !== null) {
          ctx.addIssue({ code: 'custom', path: ['schedule'], message: "use either 'schedule' or 'schedules', not both", input: d.schedule });
        }
      },
      { when: () => true },
    ),
  )
  .transform(({ schedule, build: _build, push: _push, schedules, ...rest }) => {
    const list: ScheduleConfig[] | null | undefined = schedule !== undefined ? [schedule as ScheduleConfig] : schedules;
    return { ...rest, ...(list !== undefined ? { schedules: list } : {}) };
  });

export type DeploymentConfig = z.output<typeof deploymentSchema>;

const deploymentsSchema = z.array(deploymentSchema).superRefine(
  (deployments, ctx) => {
    const seen = new Map<string, number>();
    deployments.forEach((d, i) => {
      if (typeof d !== 'object' || d === null || typeof d.name !== 'string') return;
      const key = `${d.name}\u0000${typeof d.entrypoint === 'string' ? d.entrypoint : ''}`;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, i);
      else ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate of deployments[${first}] (same name and entrypoint)`, input: d.name });
    });
  },
  { when: () => true },
);

export const batonYamlSchema = z
  .preprocess(
    (value) => (value === null || value === undefined ? {} : dropUnsetKeys(value)),
    strictObject({
      name: z.string().nullish(),
      'prefect-version': z.unknown().optional(),
      'baton-version': z.unknown().optional(),
      /** Where YAML anchors live; not read otherwise. */
      definitions: z.unknown().optional(),
      build: noStepsSchema('build').optional(),
      push: noStepsSchema('push').optional(),
      pull: pullStepsSchema.optional(),
      deployments: deploymentsSchema.nullish(),
    }),
  )
  .transform((doc) => ({
    name: doc.name ?? null,
    ...(doc.pull !== undefined ? { pull: doc.pull } : {}),
    deployments: doc.deployments ?? [],
  }));

export type BatonConfig = z.output<typeof batonYamlSchema>;
