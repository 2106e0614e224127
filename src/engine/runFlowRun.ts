import { runAttempt, sleep } from '../sdk/attempt.js';
import type { FlowDefinition } from '../sdk/definition.js';
import { describeIssues, InvalidParametersError } from '../sdk/errors.js';
import { createRunLogger, type RunLogger } from '../sdk/logger.js';
import { parseParameters } from '../sdk/parameters.js';
import type { WorkerChannel } from './channel.js';
import { loadFlow } from './loadFlow.js';
import { explain, propose, retryTime } from './proposals.js';
import { ENGINE_ENV, type ProposedState, type RunAssignment } from './protocol.js';
import { describeError, oneLine, RunSetupError } from './setupError.js';
import { failOnStrayErrors } from './strayErrors.js';
import { summarizeResult } from './summarizeResult.js';
import { resolveWorkingDirectory } from './workingDirectory.js';

/**
 * One flow run, from the worker's `start` to its final state: prepare (environment, working
 * directory, import, parameters), wait for the scheduled time, then propose Running, run, and
 * propose Completed or Failed, looping while the server answers Failed with AwaitingRetry.
 * Whatever the server decides (a cancelled run is refused Running) is logged and respected.
 */
export async function runFlowRun(run: RunAssignment, channel: WorkerChannel): Promise<void> {
  Object.assign(process.env, run.env, { [ENGINE_ENV.flowRunId]: run.flowRunId });
  const log = createRunLogger(run.flowRunName);
  let prepared: { def: FlowDefinition; params: unknown };
  try {
    prepared = await prepare(run, channel);
  } catch (error) {
    if (!(error instanceof RunSetupError)) throw error;
    log.error(error.detail);
    await proposeFinal(channel, log, { type: 'FAILED', message: error.message });
    return;
  }
  // A timer can fire a little early by the wall clock, and Running proposed before the scheduled
  // time is answered WAIT in whole seconds: wait until the clock has really reached it.
  if (run.scheduledTime !== null) while (Date.now() < run.scheduledTime) await sleep(run.scheduledTime - Date.now());
  await runAttempts(run, prepared.def, prepared.params, channel, log);
}

async function prepare(run: RunAssignment, channel: WorkerChannel): Promise<{ def: FlowDefinition; params: unknown }> {
  const dir = resolveWorkingDirectory(run.workingDir);
  process.chdir(dir);
  const def = await loadFlow(run.entrypoint, dir);
  channel.send({
    type: 'loaded',
    flow: { name: def.name, version: def.version, retries: def.retries, retryDelaySeconds: def.retryDelaySeconds, timeoutSeconds: def.timeoutSeconds },
  });
  try {
    return { def, params: parseParameters(def.name, def.params, run.parameters) };
  } catch (error) {
    if (error instanceof InvalidParametersError) throw new RunSetupError(`Invalid parameters: ${describeIssues(error.issues)}`);
    throw error;
  }
}

async function runAttempts(run: RunAssignment, def: FlowDefinition, params: unknown, channel: WorkerChannel, log: RunLogger): Promise<void> {
  const attempts = def.retries + 1;
  for (let attempt = run.attempt; ; attempt++) {
    const running = await propose(channel, attempt > 1 ? { type: 'RUNNING', name: 'Retrying' } : { type: 'RUNNING' });
    if (running.status !== 'ACCEPT') {
      log.warning(`Not running the flow: the server answered ${explain(running)}`);
      return;
    }
    const context = { log, flowRunId: run.flowRunId, flowRunName: run.flowRunName, parameters: run.parameters, attempt };
    let value: unknown;
    try {
      value = await failOnStrayErrors(runAttempt(def, params, context, { enforceTimeout: false }));
    } catch (error) {
      log.error(`Encountered exception during execution:\n${describeError(error)}`);
      const failed = await propose(channel, { type: 'FAILED', message: oneLine(error) });
      const retryAt = retryTime(failed);
      if (retryAt === null) {
        if (failed.status !== 'ACCEPT') log.warning(`The server did not accept the Failed state: ${explain(failed)}`);
        return;
      }
      log.info(`Retrying in ${Math.max(0, Math.round((retryAt - Date.now()) / 1000))}s (attempt ${attempt + 1} of ${Math.max(attempts, attempt + 1)})`);
      await sleep(retryAt - Date.now());
      continue;
    }
    await proposeFinal(channel, log, { type: 'COMPLETED', message: 'Flow run completed.', data: summarizeResult(value) });
    return;
  }
}

async function proposeFinal(channel: WorkerChannel, log: RunLogger, state: ProposedState): Promise<void> {
  const result = await propose(channel, state);
  if (result.status !== 'ACCEPT') log.warning(`The server did not accept the ${state.type} state: ${explain(result)}`);
}
