import type { Deployment } from '../domain/schemas/deployments.js';
import type { DeploymentRequest } from './request.js';
import { describeSchedule } from './schedules.js';

/**
 * What a deploy would change, field by field, for `--dry-run` and for the summary of a redeploy:
 *
 *   ~ description: "old" → "new"
 *   + schedule cron 0 6 * * * (Europe/Berlin)
 *   - schedule interval 3600s (its future scheduled runs are removed)
 *   = paused: stays paused
 */
export interface DiffLine {
  op: '+' | '-' | '~' | '=';
  text: string;
}

type ExistingSchedule = Deployment['schedules'][number];
type RequestSchedule = DeploymentRequest['schedules'][number];

/** The stored deployment the request would replace, in the fields deploy compares. */
export type ExistingDeployment = Pick<
  Deployment,
  | 'description'
  | 'version'
  | 'entrypoint'
  | 'path'
  | 'tags'
  | 'parameters'
  | 'parameter_openapi_schema'
  | 'work_pool_name'
  | 'work_queue_name'
  | 'job_variables'
  | 'pull_steps'
  | 'concurrency_limit'
  | 'concurrency_options'
  | 'enforce_parameter_schema'
  | 'paused'
  | 'schedules'
>;

/** Every field of a new deployment, as `+` lines. */
export function creationLines(r: DeploymentRequest): DiffLine[] {
  const lines: DiffLine[] = [
    { op: '+', text: `entrypoint: ${r.entrypoint}` },
    { op: '+', text: `path: ${r.path}` },
    { op: '+', text: `work pool: ${r.work_pool_name}${r.work_queue_name ? `, queue ${r.work_queue_name}` : ''}` },
  ];
  if (r.description !== null) lines.push({ op: '+', text: `description: ${JSON.stringify(r.description)}` });
  if (r.version !== null) lines.push({ op: '+', text: `version: ${JSON.stringify(r.version)}` });
  if (r.tags.length > 0) lines.push({ op: '+', text: `tags: ${r.tags.join(', ')}` });
  if (Object.keys(r.parameters).length > 0) lines.push({ op: '+', text: `parameters: ${JSON.stringify(r.parameters)}` });
  lines.push({ op: '+', text: `parameter schema: ${describeSchema(r.parameter_openapi_schema)}` });
  if (Object.keys(r.job_variables).length > 0) lines.push({ op: '+', text: `job variables: ${JSON.stringify(r.job_variables)}` });
  if (r.pull_steps) lines.push({ op: '+', text: `pull steps: ${describePullSteps(r.pull_steps)}` });
  if (r.concurrency_limit !== null) lines.push({ op: '+', text: `concurrency limit: ${describeConcurrency(r.concurrency_limit, r.concurrency_options)}` });
  if (r.enforce_parameter_schema !== undefined) lines.push({ op: '+', text: `enforce parameter schema: ${r.enforce_parameter_schema}` });
  if (r.paused !== undefined) lines.push({ op: '+', text: `paused: ${r.paused}` });
  for (const s of r.schedules) lines.push({ op: '+', text: `schedule ${describeSchedule(s)}` });
  return lines;
}

/** What changes when `r` replaces `old`; empty when nothing does (notes about kept state aside). */
export function changeLines(old: ExistingDeployment, r: DeploymentRequest): DiffLine[] {
  const lines: DiffLine[] = [];
  const text = (label: string, a: string, b: string): void => {
    if (a !== b) lines.push({ op: '~', text: `${label}: ${a} → ${b}` });
  };
  text('description', quote(old.description), quote(r.description));
  text('version', quote(old.version), quote(r.version));
  text('entrypoint', old.entrypoint ?? 'none', r.entrypoint);
  text('path', old.path ?? 'none', r.path);
  text('work pool', old.work_pool_name ?? 'none', r.work_pool_name);
  // Without a queue the server uses the pool's default queue, named `default`.
  text('work queue', old.work_queue_name ?? 'none', r.work_queue_name ?? 'default');
  if (!sameJson(old.tags, r.tags)) text('tags', list(old.tags), list(r.tags));
  if (!sameJson(old.parameters, r.parameters)) text('parameters', JSON.stringify(old.parameters), JSON.stringify(r.parameters));
  if (!sameJson(old.parameter_openapi_schema, r.parameter_openapi_schema)) {
    const a = describeSchema(old.parameter_openapi_schema);
    const b = describeSchema(r.parameter_openapi_schema);
    lines.push({ op: '~', text: `parameter schema: ${a === b ? `${b} (types or defaults changed)` : `${a} → ${b}`}` });
  }
  if (!sameJson(old.job_variables, r.job_variables)) text('job variables', JSON.stringify(old.job_variables), JSON.stringify(r.job_variables));
  if (!sameJson(old.pull_steps ?? null, r.pull_steps)) text('pull steps', describePullSteps(old.pull_steps), describePullSteps(r.pull_steps));
  text('concurrency limit', describeConcurrency(old.concurrency_limit, old.concurrency_options), describeConcurrency(r.concurrency_limit, r.concurrency_options));
  if (r.enforce_parameter_schema !== undefined) text('enforce parameter schema', String(old.enforce_parameter_schema), String(r.enforce_parameter_schema));
  if (r.paused !== undefined) text('paused', String(old.paused), String(r.paused));
  else if (old.paused) lines.push({ op: '=', text: 'paused: stays paused (deploy never resumes a deployment; use baton deployment resume)' });
  lines.push(...scheduleLines(old.schedules, r.schedules));
  return lines;
}

/** True when the lines change something (`=` lines only note what is kept). */
export function hasChanges(lines: readonly DiffLine[]): boolean {
  return lines.some((l) => l.op !== '=');
}

/**
 * Schedules are matched as the server matches them on a redeploy: by slug, else by the same
 * schedule. A matched schedule an operator paused stays paused.
 */
function scheduleLines(old: readonly ExistingSchedule[], next: readonly RequestSchedule[]): DiffLine[] {
  const lines: DiffLine[] = [];
  const unmatched = [...old];
  let anyChange = false;
  const kept: DiffLine[] = [];
  for (const s of next) {
    const i = unmatched.findIndex((o) => (s.slug ? o.slug === s.slug : !o.slug && sameJson(o.schedule, s.schedule)));
    if (i < 0) {
      lines.push({ op: '+', text: `schedule ${describeSchedule(s)}` });
      anyChange = true;
      continue;
    }
    const [o] = unmatched.splice(i, 1) as [ExistingSchedule];
    const operatorPaused = !o.active && s.active !== false;
    const before = describeSchedule({ ...o, active: o.active || operatorPaused });
    const after = describeSchedule(s);
    if (before !== after || !sameJson(o.schedule, s.schedule)) {
      lines.push({ op: '~', text: `schedule ${before} → ${after}` });
      anyChange = true;
    }
    if (operatorPaused) kept.push({ op: '=', text: `schedule ${describeSchedule(s)}: stays paused (an operator paused it)` });
  }
  for (const o of unmatched) {
    lines.push({ op: '-', text: `schedule ${describeSchedule(o)}` });
    anyChange = true;
  }
  if (anyChange && old.length > 0) lines.push({ op: '=', text: 'future runs the old schedules created are replaced; runs created by hand are kept' });
  return [...lines, ...kept];
}

function quote(value: string | null): string {
  return value === null ? 'none' : JSON.stringify(value);
}

function list(values: readonly string[]): string {
  return values.length === 0 ? 'none' : values.join(', ');
}

function describeSchema(schema: Record<string, unknown> | null): string {
  if (!schema) return 'none';
  const properties = schema.properties && typeof schema.properties === 'object' ? Object.keys(schema.properties) : [];
  return properties.length === 0 ? 'no parameters' : `parameters ${properties.join(', ')}`;
}

function describePullSteps(steps: readonly Record<string, unknown>[] | null): string {
  if (!steps || steps.length === 0) return 'none';
  return steps
    .map((step) => {
      const [key, args] = Object.entries(step)[0] ?? ['?', {}];
      const name = key.slice(key.lastIndexOf('.') + 1);
      const a = (args ?? {}) as Record<string, unknown>;
      const detail = name === 'git_clone' ? `${String(a.repository)}${a.branch ? `@${String(a.branch)}` : ''}` : String(a.directory ?? '');
      return `${name} ${detail}`.trim();
    })
    .join(', then ');
}

function describeConcurrency(limit: number | null, options: { collision_strategy?: string | undefined } | null): string {
  if (limit === null) return 'none';
  return `${limit} (${options?.collision_strategy ?? 'ENQUEUE'})`;
}

/** Equal as JSON, whatever the key order. */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const item = (v as Record<string, unknown>)[k];
      // A missing key and a null one mean the same to the API.
      if (item !== undefined && item !== null) sorted[k] = item;
    }
    return sorted;
  });
}
