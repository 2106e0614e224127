import type { FlowRunFilterInput, StateType } from '../../api/types';
import { STATE_TYPES } from '../../format/states';

/** The runs list's filters, as kept in the URL so a filtered view can be shared and reloaded. */
export interface RunFilters {
  states: StateType[];
  deployment: string | null;
  pool: string | null;
  tag: string | null;
  range: string | null;
  page: number;
}

export const RANGES: { id: string; label: string; seconds: number }[] = [
  { id: '1h', label: 'Past hour', seconds: 3600 },
  { id: '24h', label: 'Past 24 hours', seconds: 86_400 },
  { id: '7d', label: 'Past 7 days', seconds: 7 * 86_400 },
  { id: '30d', label: 'Past 30 days', seconds: 30 * 86_400 },
];

export function readFilters(search: URLSearchParams): RunFilters {
  const states = (search.get('state') ?? '')
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter((s): s is StateType => (STATE_TYPES as readonly string[]).includes(s));
  const page = Number.parseInt(search.get('page') ?? '1', 10);
  return {
    states,
    deployment: search.get('deployment') || null,
    pool: search.get('pool') || null,
    tag: search.get('tag') || null,
    range: RANGES.some((r) => r.id === search.get('range')) ? search.get('range') : null,
    page: Number.isFinite(page) && page > 0 ? page : 1,
  };
}

export function hasFilters(f: RunFilters): boolean {
  return f.states.length > 0 || f.deployment !== null || f.pool !== null || f.tag !== null || f.range !== null;
}

/** The body of `POST /api/flow_runs/paginate` for these filters, newest runs first. */
export function paginateBody(f: RunFilters, limit: number, now: number): Record<string, unknown> {
  const flowRuns: FlowRunFilterInput = {};
  if (f.states.length > 0) flowRuns.state = { type: { any_: f.states } };
  if (f.deployment) flowRuns.deployment_id = { any_: [f.deployment] };
  if (f.tag) flowRuns.tags = { all_: [f.tag] };
  const range = RANGES.find((r) => r.id === f.range);
  if (range) flowRuns.expected_start_time = { after_: new Date(now - range.seconds * 1000).toISOString() };
  return {
    flow_runs: flowRuns,
    ...(f.pool ? { work_pools: { name: { any_: [f.pool] } } } : {}),
    sort: 'ID_DESC',
    limit,
    page: f.page,
  };
}
