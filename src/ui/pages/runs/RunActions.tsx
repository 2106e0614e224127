import { useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { FlowRun, OrchestrationResult } from '../../api/types';
import { Banner, ErrorBanner } from '../../components/Banner';
import { canCancel, isTerminal, stateLabel } from '../../format/states';

type Proposal = { label: string; state: { type: string; name?: string; message?: string } };

const CANCEL: Proposal = { label: 'Cancel', state: { type: 'CANCELLING', name: 'Cancelling' } };
const RETRY: Proposal = { label: 'Retry', state: { type: 'SCHEDULED', message: 'Retried from the UI' } };

/** What the orchestration rules answered, in words. */
function Answer({ result, proposal }: { result: OrchestrationResult; proposal: Proposal }) {
  const now = result.state ? (result.state.name || stateLabel(result.state.type)) : null;
  const reason = result.details.reason;
  if (result.status === 'ACCEPT') {
    return (
      <Banner kind="success">
        {proposal.label}: accepted{now ? `, the run is now ${now}` : ''}.
      </Banner>
    );
  }
  const kind = result.status === 'REJECT' && result.state ? 'info' : 'warning';
  return (
    <Banner kind={kind}>
      <span data-testid="orchestration-answer">
        {proposal.label}: the server answered <strong>{result.status}</strong>
        {reason ? `: ${reason}` : ''}
        {now ? ` (the run is ${now})` : ''}
      </span>
    </Banner>
  );
}

/** Cancel and Retry propose states; the server's rules decide, and their answer is shown. */
export function RunActions({ run, onChanged }: { run: FlowRun; onChanged: () => void }) {
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<{ result: OrchestrationResult; proposal: Proposal } | null>(null);
  const [error, setError] = useState<Error | null>(null);

  const propose = async (proposal: Proposal) => {
    setBusy(true);
    setError(null);
    setAnswer(null);
    try {
      const result = await api.post<OrchestrationResult>(`/flow_runs/${run.id}/set_state`, { state: proposal.state });
      setAnswer({ result, proposal });
      onChanged();
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };

  const retryable = isTerminal(run.state_type);
  return (
    <div class="run-actions">
      <div class="button-row">
        <button
          type="button"
          class="btn btn-danger"
          disabled={busy || !canCancel(run.state_type)}
          title={canCancel(run.state_type) ? 'Stop this run' : 'Only a run that has not finished can be cancelled.'}
          onClick={() => {
            if (window.confirm(`Cancel the run ${run.name}?`)) void propose(CANCEL);
          }}
        >
          Cancel
        </button>
        <button
          type="button"
          class="btn"
          disabled={busy || !retryable}
          title={retryable ? 'Schedule this run again now' : 'Only a finished run can be retried.'}
          onClick={() => void propose(RETRY)}
        >
          Retry
        </button>
      </div>
      {answer && <Answer result={answer.result} proposal={answer.proposal} />}
      <ErrorBanner error={error} prefix="The server refused" />
    </div>
  );
}
