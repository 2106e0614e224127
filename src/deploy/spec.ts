import type { PathSegment } from './config/problems.js';
import type { ScheduleConfig } from './config/scheduleSchema.js';
import type { PullStep } from './config/stepsSchema.js';

/**
 * One deployment as `baton deploy` assembles it before talking to the server: a baton.yaml entry
 * with the command line's options laid over it (or the options and wizard answers alone). Every
 * value remembers where it came from, so a problem can point at the line or flag to fix.
 */

/** Where a value came from. */
export type Origin = { kind: 'yaml'; path: PathSegment[] } | { kind: 'flag'; flag: string } | { kind: 'wizard' };

export interface ScheduleSpec {
  config: ScheduleConfig;
  origin: Origin;
}

export type CollisionStrategy = 'ENQUEUE' | 'CANCEL_NEW';

export interface ConcurrencySpec {
  limit: number;
  collision_strategy?: CollisionStrategy;
  grace_period_seconds?: number;
}

export interface DeploySpec {
  /** Index in baton.yaml's `deployments`, or null for one made from flags or the wizard. */
  yamlIndex: number | null;
  name?: string;
  /** `path/to/file.ts:export`, relative to the project root. */
  entrypoint?: string;
  /** baton.yaml's `flow_name`: must agree with the flow's own name. */
  flowName?: string;
  description?: string | null;
  version?: string | null;
  tags?: string[];
  parameters: Record<string, unknown>;
  pool?: string;
  queue?: string | null;
  jobVariables: Record<string, unknown>;
  schedules: ScheduleSpec[];
  concurrency?: ConcurrencySpec | null;
  /** Only set when the user set it: left out, a redeploy keeps what the server has. */
  enforceParameterSchema?: boolean;
  /** Only set when the user set it: left out, a redeploy never un-pauses. */
  paused?: boolean;
  /** Undefined: none. Placeholders (`{{ $VAR }}`) are kept for the worker to fill in. */
  pullSteps?: PullStep[];
  /** Where fields came from when it is not the spec's own source (a flag over a yaml value). */
  origins: Partial<Record<SpecField, Origin>>;
}

export type SpecField =
  | 'name'
  | 'entrypoint'
  | 'description'
  | 'version'
  | 'tags'
  | 'parameters'
  | 'pool'
  | 'queue'
  | 'jobVariables'
  | 'concurrency'
  | 'enforceParameterSchema'
  | 'paused'
  | 'pullSteps';

/** A spec with what every deployment needs. */
export type CompleteSpec = DeploySpec & { name: string; entrypoint: string; pool: string };

const YAML_KEYS: Record<SpecField, PathSegment[]> = {
  name: ['name'],
  entrypoint: ['entrypoint'],
  description: ['description'],
  version: ['version'],
  tags: ['tags'],
  parameters: ['parameters'],
  pool: ['work_pool', 'name'],
  queue: ['work_pool', 'work_queue_name'],
  jobVariables: ['work_pool', 'job_variables'],
  concurrency: ['concurrency_limit'],
  enforceParameterSchema: ['enforce_parameter_schema'],
  paused: ['paused'],
  pullSteps: ['pull'],
};

export const FLAGS: Record<SpecField, string> = {
  name: '--name',
  entrypoint: 'the entrypoint argument',
  description: '--description',
  version: '--version',
  tags: '--tag',
  parameters: '--param',
  pool: '--pool',
  queue: '--work-queue',
  jobVariables: '--job-variable',
  concurrency: '--concurrency-limit',
  enforceParameterSchema: '--enforce-parameter-schema',
  paused: 'paused',
  pullSteps: 'pull steps',
};

/** Where a field of this spec came from. */
export function originOf(spec: DeploySpec, field: SpecField): Origin {
  const explicit = spec.origins[field];
  if (explicit) return explicit;
  if (spec.yamlIndex !== null) return { kind: 'yaml', path: ['deployments', spec.yamlIndex, ...YAML_KEYS[field]] };
  return { kind: 'flag', flag: FLAGS[field] };
}

/** A new, empty spec. */
export function emptySpec(yamlIndex: number | null = null): DeploySpec {
  return { yamlIndex, parameters: {}, jobVariables: {}, schedules: [], origins: {} };
}

export function isComplete(spec: DeploySpec): spec is CompleteSpec {
  return spec.name !== undefined && spec.entrypoint !== undefined && spec.pool !== undefined;
}

/** `flow/name` once the flow is known, else the deployment's name. */
export function specLabel(spec: DeploySpec, flowName?: string): string {
  const name = spec.name ?? '(unnamed)';
  return flowName === undefined ? name : `${flowName}/${name}`;
}
