import { uuid7 } from '../domain/ids.js';
import { runAttempt, sleep } from './attempt.js';
import type { FlowDefinition } from './definition.js';
import { createRunLogger, formatLogMessage } from './logger.js';
import { parseParameters } from './parameters.js';

/**
 * `await myFlow(params)`: runs the flow in this process, for tests and scripts. Parameters are
 * parsed, retries and the timeout honoured, and logs printed (or framed, inside a flow run).
 */
export async function callDirect(def: FlowDefinition, input: unknown): Promise<unknown> {
  const params = parseParameters(def.name, def.params, input);
  const flowRunId = uuid7();
  const flowRunName = `${def.name}-${flowRunId.slice(-6)}`;
  const log = createRunLogger(flowRunName);
  const parameters = isRecord(input) ? input : {};
  const attempts = def.retries + 1;
  for (let attempt = 1; ; attempt++) {
    try {
      return await runAttempt(def, params, { log, flowRunId, flowRunName, parameters, attempt }, { enforceTimeout: true });
    } catch (error) {
      if (attempt >= attempts) throw error;
      log.error(`Encountered exception during execution:\n${formatLogMessage(error)}`);
      log.info(`Retrying in ${def.retryDelaySeconds}s (attempt ${attempt + 1} of ${attempts})`);
      await sleep(def.retryDelaySeconds * 1000);
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
