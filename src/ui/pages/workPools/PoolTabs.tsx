import type { Worker, WorkQueue } from '../../api/types';
import { EmptyState } from '../../components/EmptyState';
import { StatusIcon, WorkerStatus } from '../../components/StatusIcon';
import { Time } from '../../components/Time';

export function QueuesTab({ queues }: { queues: WorkQueue[] }) {
  return (
    <div class="table-wrap">
      <table class="table" data-testid="queues-table">
        <thead>
          <tr>
            <th>Status</th>
            <th>Queue</th>
            <th class="hide-sm">Priority</th>
            <th class="hide-sm">Concurrency limit</th>
            <th>Last polled</th>
          </tr>
        </thead>
        <tbody>
          {queues.map((q) => (
            <tr key={q.id} data-queue={q.name}>
              <td>
                <StatusIcon status={q.status} withLabel />
              </td>
              <td class="cell-main">
                <span class="strong">{q.name}</span>
                {q.description && <div class="small muted">{q.description}</div>}
              </td>
              <td class="hide-sm">{q.priority}</td>
              <td class="hide-sm">{q.concurrency_limit === null ? <span class="muted">Unlimited</span> : `${q.active_slots} of ${q.concurrency_limit} in use`}</td>
              <td>
                <Time iso={q.last_polled} empty="Never" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function WorkersTab({ workers, pool }: { workers: Worker[]; pool: string }) {
  if (workers.length === 0) {
    return (
      <EmptyState title="No workers yet.">
        Start one in a terminal: <code>baton worker start --pool {pool}</code>
      </EmptyState>
    );
  }
  return (
    <div class="table-wrap">
      <table class="table" data-testid="workers-table">
        <thead>
          <tr>
            <th>Worker</th>
            <th>Status</th>
            <th>Last heartbeat</th>
          </tr>
        </thead>
        <tbody>
          {workers.map((w) => (
            <tr key={w.id} data-worker={w.name}>
              <td class="cell-main strong">{w.name}</td>
              <td>
                <WorkerStatus status={w.status} />
              </td>
              <td>
                <Time iso={w.last_heartbeat_time} empty="Never" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
