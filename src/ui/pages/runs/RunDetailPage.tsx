import { useEffect } from 'preact/hooks';
import { api, enc } from '../../api/client';
import type { FlowRun, State } from '../../api/types';
import { ErrorBanner } from '../../components/Banner';
import { Facts, Json, Loading, Tags } from '../../components/Details';
import { PageHeader } from '../../components/Layout';
import { StateBadge } from '../../components/StateBadge';
import { Time } from '../../components/Time';
import { isActive } from '../../format/states';
import { useLive } from '../../hooks/useLive';
import { useQuery } from '../../hooks/useQuery';
import { Link } from '../../router/Link';
import { RunActions } from './RunActions';
import { RunLogs } from './RunLogs';
import { RunDuration } from './RunsTable';
import { StateTimeline } from './StateTimeline';
import { useRunLogs } from './useRunLogs';

export function RunDetailPage({ id }: { id: string }) {
  const run = useQuery(
    async (signal) => {
      const [flowRun, states] = await Promise.all([
        api.get<FlowRun>(`/flow_runs/${enc(id)}`, signal),
        api.get<State[]>(`/flow_run_states/?flow_run_id=${enc(id)}`, signal),
      ]);
      return { flowRun, states };
    },
    [id],
  );
  const logs = useRunLogs(id);
  useLive((n) => n.kind === 'flow_run' && n.data.id === id, run.reload, 250);
  useLive((n) => n.kind === 'logs' && n.data.flow_run_ids.includes(id), logs.fetchNew, 250);
  // A run's last lines are stored before its final state: read them once more when it ends.
  const stateType = run.data?.flowRun.state_type ?? null;
  useEffect(() => {
    if (stateType && !isActive(stateType)) logs.fetchNew();
  }, [stateType]);

  if (!run.data) {
    return (
      <section>
        <PageHeader title="Run" />
        <ErrorBanner error={run.error} prefix="Could not load the run" />
        {run.loading && <Loading what="the run" />}
      </section>
    );
  }
  const r = run.data.flowRun;
  const params = Object.keys(r.parameters).length;
  return (
    <section>
      <PageHeader
        title={
          <>
            <span class="muted">{r.flow_name} /</span> {r.name}
          </>
        }
        subtitle={
          <span data-testid="run-state">
            <StateBadge type={r.state_type} name={r.state_name} />
            {r.state?.message && <span class="small muted state-message">{r.state.message}</span>}
          </span>
        }
      >
        <RunActions run={r} onChanged={run.reload} />
      </PageHeader>
      <ErrorBanner error={run.error} prefix="Could not refresh the run" />
      <div class="grid-2">
        <div class="card">
          <h2>Details</h2>
          <Facts
            items={[
              ['Flow', r.flow_name],
              ['Deployment', r.deployment_id ? <Link href={`/deployments/${r.deployment_id}`}>{r.deployment_name ?? r.deployment_id}</Link> : <span class="muted">None (ad-hoc run)</span>],
              [
                'Work pool',
                r.work_pool_name ? (
                  <>
                    <Link href={`/work-pools/${enc(r.work_pool_name)}`}>{r.work_pool_name}</Link>
                    {r.work_queue_name && <span class="muted"> / {r.work_queue_name}</span>}
                  </>
                ) : null,
              ],
              ['Worker', r.worker_name ? <span data-testid="run-worker">{r.worker_name}</span> : <span class="muted">{r.state_type === 'SCHEDULED' ? 'Not claimed yet' : '—'}</span>],
              ['Started', <Time iso={r.start_time} empty="Not started" />],
              ['Ended', <Time iso={r.end_time} empty={isActive(r.state_type) ? 'Still going' : '—'} />],
              ['Duration', <RunDuration run={r} />],
              ['Run count', r.run_count],
              ['Tags', <Tags tags={r.tags} />],
              ['Run id', <code class="small">{r.id}</code>],
            ]}
          />
        </div>
        <div class="card">
          <h2>States</h2>
          <StateTimeline states={run.data.states} />
        </div>
      </div>
      <div class="card">
        <h2>Parameters</h2>
        {params === 0 ? <p class="muted">This run has no parameters.</p> : <Json value={r.parameters} />}
      </div>
      <div class="card">
        <h2>Logs</h2>
        <RunLogs logs={logs} active={isActive(r.state_type)} runId={r.id} />
      </div>
    </section>
  );
}
