import type { DeploymentConfig } from './config/schema.js';
import type { PullStep } from './config/stepsSchema.js';
import type { CliOverrides } from './cliOptions.js';
import type { DeployProblem } from './problems.js';
import { emptySpec, FLAGS, type DeploySpec, type Origin } from './spec.js';

/** A baton.yaml entry as a spec. `pullSteps` are the entry's (or the file's) with placeholders kept. */
export function specFromYaml(d: DeploymentConfig, index: number, pullSteps: PullStep[] | undefined): DeploySpec {
  const spec = emptySpec(index);
  spec.name = d.name;
  if (d.entrypoint !== undefined) spec.entrypoint = d.entrypoint;
  if (d.flow_name !== undefined) spec.flowName = d.flow_name;
  if (d.description !== undefined) spec.description = d.description;
  if (d.version !== undefined) spec.version = d.version;
  if (d.tags !== undefined && d.tags !== null) spec.tags = d.tags;
  spec.parameters = d.parameters ?? {};
  if (d.work_pool?.name) spec.pool = d.work_pool.name;
  if (d.work_pool?.work_queue_name) spec.queue = d.work_pool.work_queue_name;
  spec.jobVariables = d.work_pool?.job_variables ?? {};
  spec.schedules = (d.schedules ?? []).map((config, j) => ({ config, origin: { kind: 'yaml', path: ['deployments', index, 'schedules', j] } }));
  if (d.concurrency_limit !== undefined) {
    const c = d.concurrency_limit;
    spec.concurrency = c === null ? null : { limit: c.limit, ...(c.collision_strategy ? { collision_strategy: c.collision_strategy } : {}), ...(c.grace_period_seconds !== undefined ? { grace_period_seconds: c.grace_period_seconds } : {}) };
  }
  if (d.enforce_parameter_schema !== undefined) spec.enforceParameterSchema = d.enforce_parameter_schema;
  if (d.paused !== undefined) spec.paused = d.paused;
  if (pullSteps !== undefined) spec.pullSteps = pullSteps;
  return spec;
}

/**
 * Lays the command line's options over a spec (Prefect's rule: options win). Schedules and tags
 * given as options replace the file's; parameters and job variables are merged key by key.
 */
export function applyOverrides(base: DeploySpec, o: CliOverrides): { spec: DeploySpec; problems: DeployProblem[] } {
  const problems: DeployProblem[] = [];
  const spec: DeploySpec = { ...base, origins: { ...base.origins } };
  const from = (field: keyof typeof FLAGS, name: string = FLAGS[field]): Origin => {
    const origin: Origin = { kind: 'flag', flag: name };
    spec.origins[field] = origin;
    return origin;
  };
  if (o.entrypoint !== undefined) {
    spec.entrypoint = o.entrypoint;
    // Problems with it read best under its own text: `flows/x.ts:x: 'flows/x.ts' has no export 'x'`.
    from('entrypoint', o.entrypoint);
  }
  if (o.pool !== undefined) {
    spec.pool = o.pool;
    from('pool');
  }
  if (o.queue !== undefined) {
    spec.queue = o.queue;
    from('queue');
  }
  if (o.tags !== undefined) {
    spec.tags = o.tags;
    from('tags');
  }
  if (o.description !== undefined) {
    spec.description = o.description;
    from('description');
  }
  if (o.version !== undefined) {
    spec.version = o.version;
    from('version');
  }
  if (o.enforceParameterSchema !== undefined) {
    spec.enforceParameterSchema = o.enforceParameterSchema;
    from('enforceParameterSchema', o.enforceParameterSchema ? '--enforce-parameter-schema' : '--no-enforce-parameter-schema');
  }
  if (o.parameters !== undefined) {
    spec.parameters = { ...base.parameters, ...o.parameters };
    from('parameters', o.parametersFlag);
  }
  if (o.jobVariables !== undefined) {
    spec.jobVariables = { ...base.jobVariables, ...o.jobVariables };
    from('jobVariables');
  }
  if (o.schedules !== undefined) spec.schedules = o.schedules;
  if (o.concurrencyLimit !== undefined || o.collisionStrategy !== undefined) {
    const limit = o.concurrencyLimit ?? base.concurrency?.limit;
    from('concurrency', o.concurrencyLimit !== undefined ? '--concurrency-limit' : '--collision-strategy');
    if (limit === undefined) {
      problems.push({ origin: { kind: 'flag', flag: '--collision-strategy' }, message: 'applies to a concurrency limit: add --concurrency-limit N' });
    } else {
      const strategy = o.collisionStrategy ?? base.concurrency?.collision_strategy;
      const grace = base.concurrency?.grace_period_seconds;
      spec.concurrency = { limit, ...(strategy ? { collision_strategy: strategy } : {}), ...(grace !== undefined ? { grace_period_seconds: grace } : {}) };
    }
  }
  return { spec, problems };
}
