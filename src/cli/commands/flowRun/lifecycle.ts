import { ConflictError } from '../../../domain/errors.js';
import { isTerminal } from '../../../domain/states.js';
import { client } from '../../context.js';
import { println } from '../../output.js';
import { confirmAction } from '../../prompts.js';
import { colorState } from '../../runDisplay.js';
import { readRun, readRunByIdOrName } from '../../runRef.js';

/**
 * Cancel, retry and delete: each proposes a change and reports the server's verdict. The server's
 * orchestration rules decide; the CLI never forces a state.
 */

export async function cancelRun(id: string): Promise<void> {
  const api = client();
  const run = await readRun(api, id);
  const result = await api.flowRuns.setState(run.id, { type: 'CANCELLING', name: 'Cancelling' });
  const type = result.state?.type;
  if (result.status === 'ABORT' || (type !== 'CANCELLING' && type !== 'CANCELLED')) {
    throw new ConflictError(`Flow run '${run.id}' was unable to be cancelled. Reason: '${result.details.reason ?? `it is ${result.state?.name ?? 'in no state'}`}'`);
  }
  // A run nobody has started is cancelled at once; a started one waits for its worker to stop it.
  println(type === 'CANCELLED' ? `Flow run '${run.id}' was cancelled.` : `Flow run '${run.id}' was successfully scheduled for cancellation.`);
}

export async function retryRun(ref: string): Promise<void> {
  const api = client();
  const run = await readRunByIdOrName(api, ref);
  if (!isTerminal(run.state_type)) {
    throw new ConflictError(
      `Flow run '${run.id}' is still ${run.state?.name ?? 'without a state'}: only a run that has ended (Completed, Failed, Cancelled or Crashed) can be retried.`,
    );
  }
  const result = await api.flowRuns.setState(run.id, { type: 'SCHEDULED', message: 'Retried via CLI' });
  const state = result.state;
  if (result.status === 'ABORT' || state?.type !== 'SCHEDULED') {
    throw new ConflictError(`Flow run '${run.id}' could not be retried. Reason: '${result.details.reason ?? `it is ${state?.name ?? 'in no state'}`}'`);
  }
  println(`Flow run '${run.name}' (${run.id}) is now ${colorState(state.type, state.name)}: a worker will pick it up.`);
}

export async function deleteRun(id: string, yes: boolean | undefined): Promise<void> {
  const api = client();
  const run = await readRun(api, id);
  if (!(await confirmAction(`Are you sure you want to delete flow run '${run.name}' (${run.id})?`, yes))) {
    println('Deletion aborted.');
    return;
  }
  await api.flowRuns.delete(run.id);
  println(`Deleted flow run '${run.id}'.`);
}
