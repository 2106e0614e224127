/**
 * One connection per tab to `GET /api/events`, shared by every view. When the stream cannot be
 * held, views fall back to polling: a `resync` notice every 2 s until the stream is back, and one
 * more when it returns (notices sent while it was down are lost).
 */
export type Notice =
  | { kind: 'flow_run'; data: { id: string; state_type: string | null; work_pool_id: string | null } }
  | { kind: 'logs'; data: { flow_run_ids: string[] } }
  | { kind: 'work_pool'; data: { work_pool_id: string } }
  | { kind: 'work_queue'; data: { work_pool_id: string; work_queue_id: string } }
  | { kind: 'worker'; data: { work_pool_id: string } }
  | { kind: 'deployment'; data: { id: string; work_pool_id: string | null } }
  | { kind: 'resync'; data: { reason: string } };

export type LiveStatus = 'connecting' | 'live' | 'polling';

const KINDS = ['flow_run', 'logs', 'work_pool', 'work_queue', 'worker', 'deployment', 'resync'] as const;
const POLL_MS = 2_000;
/** After the browser gives up on the stream (a non-stream answer), try a new one this often. */
const RECONNECT_MS = 10_000;

const listeners = new Set<(n: Notice) => void>();
const statusListeners = new Set<(s: LiveStatus) => void>();
let status: LiveStatus = 'connecting';
let source: EventSource | null = null;
let pollTimer: number | null = null;
let reconnectTimer: number | null = null;
let everOpen = false;

function emit(notice: Notice): void {
  for (const l of [...listeners]) l(notice);
}

function setStatus(next: LiveStatus): void {
  if (next === status) return;
  status = next;
  for (const l of [...statusListeners]) l(next);
}

function startPolling(): void {
  setStatus('polling');
  pollTimer ??= window.setInterval(() => emit({ kind: 'resync', data: { reason: 'polling' } }), POLL_MS);
}

function stopPolling(): void {
  if (pollTimer !== null) window.clearInterval(pollTimer);
  pollTimer = null;
}

function connect(): void {
  if (typeof EventSource === 'undefined') return startPolling();
  const es = new EventSource('/api/events');
  source = es;
  for (const kind of KINDS) {
    es.addEventListener(kind, (e) => {
      try {
        emit({ kind, data: JSON.parse((e as MessageEvent<string>).data) } as Notice);
      } catch {
        emit({ kind: 'resync', data: { reason: 'unreadable notice' } });
      }
    });
  }
  es.onopen = () => {
    stopPolling();
    setStatus('live');
    if (everOpen) emit({ kind: 'resync', data: { reason: 'reconnected' } });
    everOpen = true;
  };
  es.onerror = () => {
    startPolling();
    if (es.readyState === EventSource.CLOSED) {
      source = null;
      reconnectTimer ??= window.setTimeout(() => {
        reconnectTimer = null;
        connect();
      }, RECONNECT_MS);
    }
  };
}

/** Calls `listener` with every notice; the stream opens with the first subscriber. */
export function subscribe(listener: (n: Notice) => void): () => void {
  listeners.add(listener);
  if (!source && pollTimer === null && reconnectTimer === null) connect();
  return () => listeners.delete(listener);
}

export function subscribeStatus(listener: (s: LiveStatus) => void): () => void {
  statusListeners.add(listener);
  return () => statusListeners.delete(listener);
}

export function liveStatus(): LiveStatus {
  return status;
}
