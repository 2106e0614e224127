import { api } from '../../api/client';
import type { Deployment, Flow, FlowRun, Page } from '../../api/types';
import { ErrorBanner } from '../../components/Banner';
import { Loading } from '../../components/Details';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/Layout';
import { Pager } from '../../components/Pager';
import { StateBadge } from '../../components/StateBadge';
import { Time } from '../../components/Time';
import { useLive } from '../../hooks/useLive';
import { useQuery } from '../../hooks/useQuery';
import { navigate, withSearch } from '../../router/history';
import { Link } from '../../router/Link';

const PAGE_SIZE = 25;

interface FlowRow {
  flow: Flow;
  deployments: Deployment[];
  lastRun: FlowRun | null;
}

/** One page of flows, their deployments in one request, and each flow's newest run (by index). */
async function loadFlows(page: number, signal: AbortSignal): Promise<{ page: Page<Flow>; rows: FlowRow[] }> {
  const flows = await api.post<Page<Flow>>('/flows/paginate', { limit: PAGE_SIZE, page }, signal);
  const ids = flows.results.map((f) => f.id);
  if (ids.length === 0) return { page: flows, rows: [] };
  const [deployments, lastRuns] = await Promise.all([
    api.post<Deployment[]>('/deployments/filter', { flows: { id: { any_: ids } }, limit: 200 }, signal),
    Promise.all(ids.map((id) => api.post<FlowRun[]>('/flow_runs/filter', { flows: { id: { any_: [id] } }, sort: 'ID_DESC', limit: 1 }, signal))),
  ]);
  const rows = flows.results.map((flow, i) => ({
    flow,
    deployments: deployments.filter((d) => d.flow_id === flow.id),
    lastRun: lastRuns[i]?.[0] ?? null,
  }));
  return { page: flows, rows };
}

export function FlowsPage({ search }: { search: URLSearchParams }) {
  const pageNumber = Math.max(1, Number.parseInt(search.get('page') ?? '1', 10) || 1);
  const data = useQuery((signal) => loadFlows(pageNumber, signal), [pageNumber]);
  useLive((n) => n.kind === 'flow_run' || n.kind === 'deployment', data.reload, 2_000);
  const page = data.data?.page;

  return (
    <section>
      <PageHeader title="Flows" subtitle={page ? `${page.count.toLocaleString()} in total` : undefined} />
      <ErrorBanner error={data.error} prefix="Could not load flows" />
      {data.loading && <Loading what="flows" />}
      {data.data && data.data.rows.length === 0 && (
        <EmptyState title="No flows yet.">
          Write a flow with <code>flow()</code> from <code>baton</code>, then run <code>baton deploy</code> to register it.
        </EmptyState>
      )}
      {data.data && data.data.rows.length > 0 && page && (
        <>
          <div class="table-wrap">
            <table class="table" data-testid="flows-table">
              <thead>
                <tr>
                  <th>Flow</th>
                  <th>Deployments</th>
                  <th>Last run</th>
                  <th class="hide-sm">Created</th>
                </tr>
              </thead>
              <tbody>
                {data.data.rows.map(({ flow, deployments, lastRun }) => (
                  <tr key={flow.id} data-flow={flow.name}>
                    <td class="cell-main strong">{flow.name}</td>
                    <td>
                      {deployments.length === 0 ? (
                        <span class="muted">None</span>
                      ) : (
                        <span class="link-list">
                          {deployments.map((d) => (
                            <Link key={d.id} href={`/deployments/${d.id}`}>
                              {d.name}
                              {d.paused ? ' (paused)' : ''}
                            </Link>
                          ))}
                        </span>
                      )}
                    </td>
                    <td>
                      {lastRun ? (
                        <span class="last-run">
                          <StateBadge type={lastRun.state_type} name={lastRun.state_name} />
                          <Link href={`/runs/${lastRun.id}`}>{lastRun.name}</Link>
                          <span class="small muted">
                            <Time iso={lastRun.start_time ?? lastRun.expected_start_time ?? lastRun.created} />
                          </span>
                        </span>
                      ) : (
                        <span class="muted">Never run</span>
                      )}
                    </td>
                    <td class="hide-sm">
                      <Time iso={flow.created} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={page.page} pages={page.pages} count={page.count} limit={page.limit} onPage={(p) => navigate(withSearch({ page: p === 1 ? null : String(p) }))} />
        </>
      )}
    </section>
  );
}
