import type { FlowRun } from '../../api/types';
import { StateBadge } from '../../components/StateBadge';
import { Tags } from '../../components/Details';
import { Time } from '../../components/Time';
import { duration, parseTime } from '../../format/time';
import { useNow } from '../../hooks/useNow';
import { Link } from '../../router/Link';

/** When a run started, or (while it waits) when it is due. */
function whenOf(run: FlowRun): string | null {
  if (run.state_type === 'SCHEDULED') return run.next_scheduled_start_time ?? run.expected_start_time;
  return run.start_time ?? run.expected_start_time ?? run.created;
}

/** How long it ran; a running run's time grows on the page without refetching. */
export function RunDuration({ run }: { run: FlowRun }) {
  const now = useNow();
  const start = parseTime(run.start_time);
  if (start === null) return <span class="muted">—</span>;
  if (run.state_type === 'RUNNING') {
    return <span>{duration(run.total_run_time + Math.max(0, now - (parseTime(run.state?.timestamp) ?? start)) / 1000)}</span>;
  }
  return <span>{duration(run.total_run_time)}</span>;
}

export function RunsTable({ runs, hide = [] }: { runs: FlowRun[]; hide?: ('deployment' | 'pool')[] }) {
  return (
    <div class="table-wrap">
      <table class="table" data-testid="runs-table">
        <thead>
          <tr>
            <th>State</th>
            <th>Run</th>
            {!hide.includes('pool') && <th class="hide-sm">Work pool</th>}
            <th>When</th>
            <th class="hide-sm">Duration</th>
            <th class="hide-sm">Tags</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id} data-run-id={run.id}>
              <td>
                <StateBadge type={run.state_type} name={run.state_name} />
              </td>
              <td class="cell-main">
                <Link href={`/runs/${run.id}`} class="strong">
                  {run.name}
                </Link>
                <div class="small muted">
                  {run.flow_name}
                  {!hide.includes('deployment') && run.deployment_id && run.deployment_name && (
                    <>
                      {' › '}
                      <Link href={`/deployments/${run.deployment_id}`}>{run.deployment_name}</Link>
                    </>
                  )}
                </div>
              </td>
              {!hide.includes('pool') && (
                <td class="hide-sm">
                  {run.work_pool_name ? <Link href={`/work-pools/${encodeURIComponent(run.work_pool_name)}`}>{run.work_pool_name}</Link> : <span class="muted">—</span>}
                </td>
              )}
              <td>
                <Time iso={whenOf(run)} />
              </td>
              <td class="hide-sm">
                <RunDuration run={run} />
              </td>
              <td class="hide-sm">
                <Tags tags={run.tags} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
