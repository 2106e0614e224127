/** Pool and queue readiness with the tutorial's colours: ready green, not ready red, paused yellow. */
const LABELS: Record<string, string> = { READY: 'Ready', NOT_READY: 'Not ready', PAUSED: 'Paused' };

export function StatusIcon({ status, withLabel = false }: { status: string; withLabel?: boolean }) {
  const label = LABELS[status] ?? status;
  return (
    <span class="status" data-status={status}>
      <span class={`status-icon status-${status.toLowerCase().replace('_', '-')}`} role="img" aria-label={label} title={label} />
      {withLabel && <span class="status-label">{label}</span>}
    </span>
  );
}

/** A worker is online while its heartbeats keep arriving. */
export function WorkerStatus({ status }: { status: string }) {
  return (
    <span class="status" data-status={status}>
      <span class={`status-icon ${status === 'ONLINE' ? 'status-ready' : 'status-not-ready'}`} role="img" aria-label={status} />
      <span class="status-label">{status === 'ONLINE' ? 'Online' : 'Offline'}</span>
    </span>
  );
}
