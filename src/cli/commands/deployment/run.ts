import { readFileSync } from 'node:fs';
import { BadRequestError, InvalidError } from '../../../domain/errors.js';
import type { FlowRun } from '../../../domain/schemas/flowRuns.js';
import { client, uiUrl } from '../../context.js';
import { watchRun } from '../../follow.js';
import { println, printTree } from '../../output.js';
import { checkParameterNames, describeProblems, formatRunName, parseParamsJson, parsePairs, schemaDefaults } from '../../runParams.js';
import { formatLocalTime, humanizeDelta, parseDuration, parseStartAt } from '../../timeParse.js';
import { deploymentLabel, resolveDeployment } from './resolve.js';

export interface RunOptions {
  id?: string;
  param?: string[];
  params?: string;
  startIn?: string;
  startAt?: string;
  tag?: string[];
  jobVariable?: string[];
  flowRunName?: string;
  idempotencyKey?: string;
  watch?: boolean;
  watchTimeout?: number;
}

/** `--params` (JSON, or `-` for stdin) overlaid with `--param` pairs, which win. */
function requestedParameters(opts: RunOptions): Record<string, unknown> {
  const fromJson = opts.params === undefined ? {} : parseParamsJson(opts.params === '-' ? readFileSync(0, 'utf8') : opts.params, opts.params === '-' ? 'The JSON on stdin' : '--params');
  return { ...fromJson, ...parsePairs(opts.param ?? [], '--param') };
}

/** When the run should start: --start-in or --start-at (not both), else now. */
function startTime(opts: RunOptions): { at: number; given: boolean } {
  if (opts.startIn !== undefined && opts.startAt !== undefined) throw new BadRequestError('Pass either --start-in or --start-at, not both.');
  const now = Date.now();
  if (opts.startIn !== undefined) return { at: now + parseDuration(opts.startIn), given: true };
  if (opts.startAt !== undefined) return { at: parseStartAt(opts.startAt, now), given: true };
  return { at: now, given: false };
}

function printCreated(run: FlowRun, start: { at: number; given: boolean }): void {
  const scheduled = run.next_scheduled_start_time ? Date.parse(run.next_scheduled_start_time) : start.at;
  println(`Created flow run '${run.name}'.`);
  printTree([
    ['UUID', run.id],
    ['Parameters', JSON.stringify(run.parameters)],
    ['Job Variables', JSON.stringify(run.job_variables ?? {})],
    ['Scheduled start time', `${formatLocalTime(scheduled)} (${start.given ? humanizeDelta(scheduled) : 'now'})`],
    ['URL', uiUrl(`/runs/${run.id}`)],
  ]);
}

/**
 * `baton deployment run`: everything the user typed is checked first (flags, JSON, times, and the
 * parameter names against the deployment's schema), so a mistake never leaves a run behind.
 */
export async function runDeployment(name: string | undefined, opts: RunOptions): Promise<void> {
  if (opts.watchTimeout !== undefined && !opts.watch) throw new BadRequestError('--watch-timeout needs --watch.');
  const parameters = requestedParameters(opts);
  const jobVariables = parsePairs(opts.jobVariable ?? [], '--job-variable');
  const start = startTime(opts);
  const api = client();
  const deployment = await resolveDeployment(api, name, opts.id);
  const label = deploymentLabel(deployment);
  checkParameterNames(parameters, deployment.parameter_openapi_schema, label);
  // The name is formatted from the run's effective parameters: schema defaults < deployment < flags.
  const runName = opts.flowRunName === undefined ? undefined : formatRunName(opts.flowRunName, { ...schemaDefaults(deployment.parameter_openapi_schema), ...deployment.parameters, ...parameters });
  let run: FlowRun;
  try {
    run = await api.flowRuns.createForDeployment(deployment.id, {
      parameters,
      state: { type: 'SCHEDULED', state_details: { scheduled_time: new Date(start.at).toISOString() } },
      tags: opts.tag ?? [],
      job_variables: jobVariables,
      ...(runName === undefined ? {} : { name: runName }),
      ...(opts.idempotencyKey === undefined ? {} : { idempotency_key: opts.idempotencyKey }),
    });
  } catch (err) {
    if (err instanceof InvalidError && err.details.length > 0) {
      throw new InvalidError(`Cannot run '${label}': ${describeProblems(err.details)}.`, err.details);
    }
    throw err;
  }
  printCreated(run, start);
  if (!opts.watch) return;
  println();
  await watchRun(api, run.id, opts.watchTimeout === undefined ? undefined : opts.watchTimeout * 1000);
}
