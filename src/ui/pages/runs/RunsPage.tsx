import { api } from '../../api/client';
import type { FlowRun, Page } from '../../api/types';
import { ErrorBanner } from '../../components/Banner';
import { Loading } from '../../components/Details';
import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/Layout';
import { Pager } from '../../components/Pager';
import { useLive } from '../../hooks/useLive';
import { useQuery } from '../../hooks/useQuery';
import { navigate, withSearch } from '../../router/history';
import { Link } from '../../router/Link';
import { RunFilterBar } from './RunFilterBar';
import { hasFilters, paginateBody, readFilters } from './runFilters';
import { RunsTable } from './RunsTable';

const PAGE_SIZE = 25;

export function RunsPage({ search }: { search: URLSearchParams }) {
  const filters = readFilters(search);
  const key = search.toString();
  const runs = useQuery((signal) => api.post<Page<FlowRun>>('/flow_runs/paginate', paginateBody(filters, PAGE_SIZE, Date.now()), signal), [key]);

  // A new run shows up on the first page; a state change matters where that run is visible.
  useLive(
    (n) => n.kind === 'flow_run' && (filters.page === 1 || (runs.data?.results.some((r) => r.id === n.data.id) ?? false)),
    runs.reload,
  );

  const page = runs.data;
  return (
    <section>
      <PageHeader title="Runs" subtitle={page ? `${page.count.toLocaleString()} ${hasFilters(filters) ? 'matching' : 'in total'}` : undefined} />
      <RunFilterBar filters={filters} />
      <ErrorBanner error={runs.error} prefix="Could not load runs" />
      {runs.loading && <Loading what="runs" />}
      {page && page.results.length === 0 && (
        <EmptyState title={hasFilters(filters) ? 'No runs match these filters.' : 'No runs yet.'}>
          {hasFilters(filters) ? (
            <button type="button" class="btn btn-link" onClick={() => navigate(location.pathname)}>
              Clear the filters
            </button>
          ) : (
            <>
              Open a <Link href="/deployments">deployment</Link> and press <strong>Run</strong>, or run <code>baton deployment run FLOW/DEPLOYMENT</code>.
            </>
          )}
        </EmptyState>
      )}
      {page && page.results.length > 0 && (
        <>
          <RunsTable runs={page.results} />
          <Pager page={page.page} pages={page.pages} count={page.count} limit={page.limit} onPage={(p) => navigate(withSearch({ page: p === 1 ? null : String(p) }))} />
        </>
      )}
    </section>
  );
}
