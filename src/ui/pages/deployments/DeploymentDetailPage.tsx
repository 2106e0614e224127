import { useState } from 'preact/hooks';
import { api, enc } from '../../api/client';
import type { Deployment, FlowRun } from '../../api/types';
import { ErrorBanner } from '../../components/Banner';
import { Facts, Loading, Tags } from '../../components/Details';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/Layout';
import { useLive } from '../../hooks/useLive';
import { useQuery } from '../../hooks/useQuery';
import { navigate, withSearch } from '../../router/history';
import { Link } from '../../router/Link';
import { RunsTable } from '../runs/RunsTable';
import { Parameters, Schedules } from './DeploymentParts';
import { RunForm } from './RunForm';

const RECENT = 10;

export function DeploymentDetailPage({ id, search }: { id: string; search: URLSearchParams }) {
  const deployment = useQuery((signal) => api.get<Deployment>(`/deployments/${enc(id)}`, signal), [id]);
  const runs = useQuery(
    (signal) => api.post<FlowRun[]>('/flow_runs/filter', { flow_runs: { deployment_id: { any_: [id] } }, sort: 'ID_DESC', limit: RECENT }, signal),
    [id],
  );
  useLive((n) => n.kind === 'deployment' && n.data.id === id, deployment.reload);
  useLive((n) => n.kind === 'flow_run', runs.reload);
  const [toggleError, setToggleError] = useState<Error | null>(null);
  const formOpen = search.get('run') === '1';

  const d = deployment.data;
  if (!d) {
    return (
      <section>
        <PageHeader title="Deployment" />
        <ErrorBanner error={deployment.error} prefix="Could not load the deployment" />
        {deployment.loading && <Loading what="the deployment" />}
      </section>
    );
  }

  const setPaused = async (paused: boolean) => {
    setToggleError(null);
    try {
      await api.post(`/deployments/${d.id}/${paused ? 'pause_deployment' : 'resume_deployment'}`);
      deployment.reload();
    } catch (err) {
      setToggleError(err as Error);
    }
  };

  return (
    <section>
      <PageHeader
        title={
          <>
            <span class="muted">{d.flow_name} /</span> {d.name}
          </>
        }
        subtitle={d.paused ? <span class="badge badge-paused">Paused</span> : <span class="badge badge-ok">Active</span>}
      >
        <div class="button-row">
          <button type="button" class="btn btn-primary" onClick={() => navigate(withSearch({ run: formOpen ? null : '1' }))}>
            Run
          </button>
          <button type="button" class="btn" onClick={() => void setPaused(!d.paused)}>
            {d.paused ? 'Resume' : 'Pause'}
          </button>
        </div>
      </PageHeader>
      <ErrorBanner error={toggleError} prefix={d.paused ? 'Could not resume' : 'Could not pause'} />
      <ErrorBanner error={deployment.error} prefix="Could not refresh the deployment" />
      {formOpen && <RunForm deployment={d} onClose={() => navigate(withSearch({ run: null }))} />}
      <div class="grid-2">
        <div class="card">
          <h2>Details</h2>
          <Facts
            items={[
              ['Entrypoint', d.entrypoint ? <code>{d.entrypoint}</code> : null],
              ['Path', d.path ? <code class="small">{d.path}</code> : null],
              [
                'Work pool',
                d.work_pool_name ? <Link href={`/work-pools/${enc(d.work_pool_name)}`}>{d.work_pool_name}</Link> : <span class="muted">None: no worker will run it</span>,
              ],
              ['Work queue', d.work_queue_name],
              ['Concurrency limit', d.concurrency_limit ?? 'Unlimited'],
              ['Parameter schema', d.enforce_parameter_schema ? 'Enforced' : 'Not enforced'],
              ['Version', d.version],
              ['Tags', <Tags tags={d.tags} />],
            ]}
          />
          {d.description && <p class="description">{d.description}</p>}
        </div>
        <div class="card">
          <h2>Schedules</h2>
          <Schedules deployment={d} />
        </div>
      </div>
      <div class="card">
        <h2>Parameters</h2>
        <Parameters deployment={d} />
      </div>
      <div class="card">
        <div class="card-head">
          <h2>Recent runs</h2>
          <Link href={`/runs?deployment=${d.id}`}>All runs of this deployment →</Link>
        </div>
        <ErrorBanner error={runs.error} prefix="Could not load its runs" />
        {runs.data && runs.data.length === 0 && (
          <EmptyState title="No runs yet.">
            Press <strong>Run</strong> above, or run <code>baton deployment run {`${d.flow_name}/${d.name}`}</code>.
          </EmptyState>
        )}
        {runs.data && runs.data.length > 0 && <RunsTable runs={runs.data} hide={['deployment', 'pool']} />}
      </div>
    </section>
  );
}
