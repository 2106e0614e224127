import { useEffect, useRef } from 'preact/hooks';
import { api } from '../../api/client';
import type { Deployment, WorkPool } from '../../api/types';
import { ErrorBanner } from '../../components/Banner';
import { stateLabel, STATE_TYPES } from '../../format/states';
import { useQuery } from '../../hooks/useQuery';
import { navigate, withSearch } from '../../router/history';
import { hasFilters, RANGES, type RunFilters } from './runFilters';

/** Every change goes to the URL (back to page 1); the list follows the URL. */
function setFilter(changes: Record<string, string | null>): void {
  navigate(withSearch({ ...changes, page: null }));
}

export function RunFilterBar({ filters }: { filters: RunFilters }) {
  const menu = useRef<HTMLDetailsElement>(null);
  // The state menu closes on a click elsewhere, as a select would.
  useEffect(() => {
    const close = (e: MouseEvent) => {
      if (menu.current?.open && !menu.current.contains(e.target as Node)) menu.current.open = false;
    };
    document.addEventListener('click', close);
    return () => document.removeEventListener('click', close);
  }, []);
  // Choices for the selects; a few hundred names at most, loaded once per visit.
  const options = useQuery(
    async (signal) => {
      const [deployments, pools] = await Promise.all([
        api.post<Deployment[]>('/deployments/filter', { limit: 200 }, signal),
        api.post<WorkPool[]>('/work_pools/filter', { limit: 200 }, signal),
      ]);
      return { deployments, pools };
    },
    [],
  );
  const toggleState = (type: string) => {
    const next = filters.states.includes(type as never) ? filters.states.filter((s) => s !== type) : [...filters.states, type];
    setFilter({ state: next.join(',') || null });
  };
  const stateSummary = filters.states.length === 0 ? 'All states' : filters.states.map(stateLabel).join(', ');

  return (
    <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter runs">
      <details class="dropdown" ref={menu}>
        <summary class="input" data-testid="state-filter">
          {stateSummary}
        </summary>
        <div class="dropdown-menu">
          {STATE_TYPES.map((type) => (
            <label key={type} class="check">
              <input type="checkbox" checked={filters.states.includes(type)} onChange={() => toggleState(type)} />
              <span class={`dot state-${type.toLowerCase()}`} aria-hidden="true" />
              {stateLabel(type)}
            </label>
          ))}
        </div>
      </details>
      <select class="input" aria-label="Deployment" value={filters.deployment ?? ''} onChange={(e) => setFilter({ deployment: e.currentTarget.value || null })}>
        <option value="">All deployments</option>
        {options.data?.deployments.map((d) => (
          <option key={d.id} value={d.id}>
            {d.flow_name}/{d.name}
          </option>
        ))}
      </select>
      <select class="input" aria-label="Work pool" value={filters.pool ?? ''} onChange={(e) => setFilter({ pool: e.currentTarget.value || null })}>
        <option value="">All work pools</option>
        {options.data?.pools.map((p) => (
          <option key={p.id} value={p.name}>
            {p.name}
          </option>
        ))}
      </select>
      <input
        class="input"
        type="search"
        aria-label="Tag"
        placeholder="Tag"
        defaultValue={filters.tag ?? ''}
        key={filters.tag ?? ''}
        onChange={(e) => setFilter({ tag: e.currentTarget.value.trim() || null })}
      />
      <select class="input" aria-label="Time range" value={filters.range ?? ''} onChange={(e) => setFilter({ range: e.currentTarget.value || null })}>
        <option value="">Any time</option>
        {RANGES.map((r) => (
          <option key={r.id} value={r.id}>
            {r.label}
          </option>
        ))}
      </select>
      {hasFilters(filters) && (
        <button type="button" class="btn btn-link" onClick={() => navigate(location.pathname)}>
          Clear filters
        </button>
      )}
      <ErrorBanner error={options.error} prefix="Could not load the deployments and work pools to filter by" />
    </form>
  );
}
