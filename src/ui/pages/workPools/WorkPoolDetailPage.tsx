import { useState } from 'preact/hooks';
import { api, enc } from '../../api/client';
import type { Worker, WorkPool, WorkQueue } from '../../api/types';
import { ErrorBanner } from '../../components/Banner';
import { Facts, Loading } from '../../components/Details';
import { PageHeader } from '../../components/Layout';
import { StatusIcon } from '../../components/StatusIcon';
import { Tabs } from '../../components/Tabs';
import { useEvery, useLive } from '../../hooks/useLive';
import { useQuery } from '../../hooks/useQuery';
import { Link } from '../../router/Link';
import { QueuesTab, WorkersTab } from './PoolTabs';
import { STATUS_REFRESH_MS } from './WorkPoolsPage';

const TABS = [
  { id: 'queues', label: 'Work queues' },
  { id: 'workers', label: 'Workers' },
];

export function WorkPoolDetailPage({ name, search }: { name: string; search: URLSearchParams }) {
  const data = useQuery(
    async (signal) => {
      const [pool, queues, workers] = await Promise.all([
        api.get<WorkPool>(`/work_pools/${enc(name)}`, signal),
        api.post<WorkQueue[]>(`/work_pools/${enc(name)}/queues/filter`, { limit: 200 }, signal),
        api.post<Worker[]>(`/work_pools/${enc(name)}/workers/filter`, { limit: 200 }, signal),
      ]);
      return { pool, queues, workers };
    },
    [name],
  );
  const poolId = data.data?.pool.id;
  useLive((n) => n.kind !== 'logs' && 'work_pool_id' in n.data && n.data.work_pool_id === poolId, data.reload, 500);
  // A worker's first heartbeat comes just before its first poll, which marks the queues ready
  // without a notice of its own: look again shortly after.
  useLive((n) => n.kind === 'worker' && n.data.work_pool_id === poolId, () => window.setTimeout(data.reload, 1_500), 1_500);
  useEvery(STATUS_REFRESH_MS, data.reload);
  const [toggleError, setToggleError] = useState<Error | null>(null);
  const tab = search.get('tab') === 'workers' ? 'workers' : 'queues';

  if (!data.data) {
    return (
      <section>
        <PageHeader title={name} />
        <ErrorBanner error={data.error} prefix="Could not load the work pool" />
        {data.loading && <Loading what="the work pool" />}
      </section>
    );
  }
  const { pool, queues, workers } = data.data;
  const setPaused = async (paused: boolean) => {
    setToggleError(null);
    try {
      await api.patch(`/work_pools/${enc(pool.name)}`, { is_paused: paused });
      data.reload();
    } catch (err) {
      setToggleError(err as Error);
    }
  };

  return (
    <section>
      <PageHeader
        title={pool.name}
        subtitle={<StatusIcon status={pool.status} withLabel />}
      >
        <button type="button" class="btn" onClick={() => void setPaused(!pool.is_paused)}>
          {pool.is_paused ? 'Resume' : 'Pause'}
        </button>
      </PageHeader>
      <ErrorBanner error={toggleError} prefix={pool.is_paused ? 'Could not resume' : 'Could not pause'} />
      <ErrorBanner error={data.error} prefix="Could not refresh the work pool" />
      <div class="card">
        <Facts
          items={[
            ['Type', pool.type],
            ['Concurrency limit', pool.concurrency_limit ?? 'Unlimited'],
            ['Slots in use', pool.active_slots ?? '—'],
            ['Workers online', workers.filter((w) => w.status === 'ONLINE').length],
            ['Runs', <Link href={`/runs?pool=${enc(pool.name)}`}>Runs in this pool →</Link>],
            ...(pool.description ? [['Description', pool.description] as [string, string]] : []),
          ]}
        />
      </div>
      <Tabs tabs={TABS.map((t) => ({ ...t, label: `${t.label} (${t.id === 'queues' ? queues.length : workers.length})` }))} current={tab} />
      <div class="card tab-panel" role="tabpanel">
        {tab === 'queues' ? <QueuesTab queues={queues} /> : <WorkersTab workers={workers} pool={pool.name} />}
      </div>
    </section>
  );
}
