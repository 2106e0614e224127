import { hostname } from 'node:os';
import type { ClaimedRun } from '../domain/schemas/workerRuns.js';
import { renderJobConfiguration } from '../domain/jobTemplate.js';
import { ENGINE_ENV } from '../engine/protocol.js';

/** The job configuration of the process pool type, after templating. */
export interface ProcessJob {
  command: string | null;
  env: Record<string, string>;
  labels: Record<string, string>;
  name: string | null;
  streamOutput: boolean;
  workingDir: string | null;
}

function stringMap(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return out;
}

/**
 * Fills the pool's base job template with the pool defaults, then the deployment's job
 * variables, then the run's (env maps merge; Prefect §4.5).
 */
export function processJob(template: Record<string, unknown>, claim: ClaimedRun): ProcessJob {
  const config = renderJobConfiguration(template, claim.deployment?.job_variables ?? {}, claim.flow_run.job_variables ?? {});
  const command = typeof config.command === 'string' && config.command.trim() !== '' ? config.command : null;
  return {
    command,
    env: stringMap(config.env),
    labels: stringMap(config.labels),
    name: typeof config.name === 'string' && config.name !== '' ? config.name : null,
    streamOutput: config.stream_output !== false && config.stream_output !== 'false',
    workingDir: typeof config.working_dir === 'string' && config.working_dir !== '' ? config.working_dir : null,
  };
}

/** What every flow-run process of this worker has, known before any run: the worker's env and baton's. */
export function workerEnv(base: NodeJS.ProcessEnv, apiUrl: string, workerName: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  return { ...env, [ENGINE_ENV.apiUrl]: apiUrl, BATON_WORKER_NAME: workerName, BATON_WORKER_HOST: hostname() };
}

/** What only this run's process has: baton's run variables, then the job's env. */
export function runEnv(claim: ClaimedRun, job: ProcessJob): Record<string, string> {
  const run = claim.flow_run;
  return {
    [ENGINE_ENV.flowRunId]: run.id,
    BATON_FLOW_RUN_NAME: run.name,
    BATON_FLOW_NAME: run.flow_name,
    ...(claim.deployment ? { BATON_DEPLOYMENT_ID: claim.deployment.id, BATON_DEPLOYMENT_NAME: claim.deployment.name } : {}),
    ...job.env,
  };
}

/**
 * Variables Node reads only at start-up: a job that sets one needs a fresh process, not an
 * engine started ahead of time.
 */
export function needsFreshProcess(job: ProcessJob): boolean {
  return job.command !== null || Object.keys(job.env).some((k) => k.startsWith('NODE_') || k === 'UV_THREADPOOL_SIZE');
}
