import { api, enc } from '../../api/client';
import type { Deployment, Page } from '../../api/types';
import { ErrorBanner } from '../../components/Banner';
import { Loading, Tags } from '../../components/Details';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/Layout';
import { Pager } from '../../components/Pager';
import { useLive } from '../../hooks/useLive';
import { useQuery } from '../../hooks/useQuery';
import { navigate, withSearch } from '../../router/history';
import { Link } from '../../router/Link';
import { summarizeSchedules } from './schedules';

const PAGE_SIZE = 50;

export function DeploymentsPage({ search }: { search: URLSearchParams }) {
  const page = Math.max(1, Number.parseInt(search.get('page') ?? '1', 10) || 1);
  const list = useQuery((signal) => api.post<Page<Deployment>>('/deployments/paginate', { limit: PAGE_SIZE, page }, signal), [page]);
  useLive((n) => n.kind === 'deployment', list.reload);
  const data = list.data;

  return (
    <section>
      <PageHeader title="Deployments" subtitle={data ? `${data.count.toLocaleString()} in total` : undefined} />
      <ErrorBanner error={list.error} prefix="Could not load deployments" />
      {list.loading && <Loading what="deployments" />}
      {data && data.results.length === 0 && (
        <EmptyState title="No deployments yet.">
          Deploy a flow from your project with <code>baton deploy</code>; it will show up here, ready to run.
        </EmptyState>
      )}
      {data && data.results.length > 0 && (
        <>
          <div class="table-wrap">
            <table class="table" data-testid="deployments-table">
              <thead>
                <tr>
                  <th>Deployment</th>
                  <th class="hide-sm">Work pool / queue</th>
                  <th>Schedules</th>
                  <th>Status</th>
                  <th class="hide-sm">Tags</th>
                </tr>
              </thead>
              <tbody>
                {data.results.map((d) => (
                  <tr key={d.id}>
                    <td class="cell-main">
                      <Link href={`/deployments/${d.id}`} class="strong">
                        <span class="muted">{d.flow_name} /</span> {d.name}
                      </Link>
                    </td>
                    <td class="hide-sm">
                      {d.work_pool_name ? (
                        <>
                          <Link href={`/work-pools/${enc(d.work_pool_name)}`}>{d.work_pool_name}</Link>
                          <span class="muted"> / {d.work_queue_name ?? 'default'}</span>
                        </>
                      ) : (
                        <span class="muted">—</span>
                      )}
                    </td>
                    <td class="small">{summarizeSchedules(d.schedules)}</td>
                    <td>{d.paused ? <span class="badge badge-paused">Paused</span> : <span class="badge badge-ok">Active</span>}</td>
                    <td class="hide-sm">
                      <Tags tags={d.tags} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={data.page} pages={data.pages} count={data.count} limit={data.limit} onPage={(p) => navigate(withSearch({ page: p === 1 ? null : String(p) }))} />
        </>
      )}
    </section>
  );
}
