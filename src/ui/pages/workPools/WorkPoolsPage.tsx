import { api, enc } from '../../api/client';
import type { WorkPool } from '../../api/types';
import { ErrorBanner } from '../../components/Banner';
import { Loading } from '../../components/Details';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/Layout';
import { StatusIcon } from '../../components/StatusIcon';
import { useEvery, useLive } from '../../hooks/useLive';
import { useQuery } from '../../hooks/useQuery';
import { navigate, withSearch } from '../../router/history';
import { Link } from '../../router/Link';
import { CreatePoolForm } from './CreatePoolForm';

/** Readiness follows worker heartbeats in time, which no notice announces: re-read it now and then. */
export const STATUS_REFRESH_MS = 5_000;

export function WorkPoolsPage({ search }: { search: URLSearchParams }) {
  const pools = useQuery((signal) => api.post<WorkPool[]>('/work_pools/filter', { limit: 200 }, signal), []);
  // Slots in use change with runs too.
  useLive((n) => n.kind !== 'logs' && n.kind !== 'deployment', pools.reload);
  useEvery(STATUS_REFRESH_MS, pools.reload);
  const creating = search.get('create') === '1';

  return (
    <section>
      <PageHeader title="Work pools" subtitle={pools.data ? `${pools.data.length} in total` : undefined}>
        <button type="button" class="btn btn-primary" onClick={() => navigate(withSearch({ create: creating ? null : '1' }))}>
          Create work pool
        </button>
      </PageHeader>
      {creating && <CreatePoolForm onClose={() => navigate(withSearch({ create: null }))} />}
      <ErrorBanner error={pools.error} prefix="Could not load work pools" />
      {pools.loading && <Loading what="work pools" />}
      {pools.data && pools.data.length === 0 && !creating && (
        <EmptyState title="No work pools yet.">
          Press <strong>Create work pool</strong>, or run <code>baton work-pool create --type process my-process-pool</code>.
        </EmptyState>
      )}
      {pools.data && pools.data.length > 0 && (
        <div class="table-wrap">
          <table class="table" data-testid="pools-table">
            <thead>
              <tr>
                <th>Work pool</th>
                <th>Type</th>
                <th>Status</th>
                <th class="hide-sm">Concurrency limit</th>
                <th>Slots in use</th>
              </tr>
            </thead>
            <tbody>
              {pools.data.map((p) => (
                <tr key={p.id} data-pool={p.name}>
                  <td class="cell-main">
                    <Link href={`/work-pools/${enc(p.name)}`} class="strong">
                      {p.name}
                    </Link>
                    {p.description && <div class="small muted">{p.description}</div>}
                  </td>
                  <td>{p.type}</td>
                  <td>
                    <StatusIcon status={p.status} withLabel />
                  </td>
                  <td class="hide-sm">{p.concurrency_limit ?? <span class="muted">Unlimited</span>}</td>
                  <td>{p.active_slots === null ? <span class="muted">—</span> : `${p.active_slots} of ${p.concurrency_limit ?? '∞'}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
