import { hostname } from 'node:os';
import type { ClaimedRun } from '../client/workerApi.js';
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

/** The flow-run process's environment: the worker's, then baton's run variables, then the job's env. */
export function processEnv(base: NodeJS.ProcessEnv, apiUrl: string, claim: ClaimedRun, job: ProcessJob, workerName: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  const run = claim.flow_run;
  Object.assign(env, {
    [ENGINE_ENV.apiUrl]: apiUrl,
    [ENGINE_ENV.flowRunId]: run.id,
    BATON_FLOW_RUN_NAME: run.name,
    BATON_FLOW_NAME: run.flow_name,
    BATON_WORKER_NAME: workerName,
    BATON_WORKER_HOST: hostname(),
    ...(claim.deployment ? { BATON_DEPLOYMENT_ID: claim.deployment.id, BATON_DEPLOYMENT_NAME: claim.deployment.name } : {}),
  });
  return { ...env, ...job.env };
}
