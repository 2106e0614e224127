import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Log } from '../../api/types';
import { ErrorBanner } from '../../components/Banner';
import { clockTime, parseTime } from '../../format/time';
import { MAX_LINES, type RunLogs as Logs } from './useRunLogs';

function levelName(level: number): string {
  if (level >= 50) return 'CRITICAL';
  if (level >= 40) return 'ERROR';
  if (level >= 30) return 'WARNING';
  if (level >= 20) return 'INFO';
  return 'DEBUG';
}

function LogLine({ line }: { line: Log }) {
  const level = levelName(line.level);
  return (
    <div class={`log-line log-${level.toLowerCase()}`} data-level={level}>
      <span class="log-time" title={line.timestamp}>
        {clockTime(parseTime(line.timestamp) ?? 0)}
      </span>
      <span class="log-level">{level}</span>
      <span class="log-message">{line.message}</span>
    </div>
  );
}

/** The run's log, following new lines while the reader is at the bottom. */
export function RunLogs({ logs, active, runId }: { logs: Logs; active: boolean; runId: string }) {
  const [query, setQuery] = useState('');
  const box = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return q ? logs.lines.filter((l) => l.message.toLowerCase().includes(q) || levelName(l.level).toLowerCase() === q) : logs.lines;
  }, [logs.lines, query]);

  useEffect(() => {
    const el = box.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [shown.length]);

  let empty: string | null = null;
  if (logs.loaded && shown.length === 0) {
    if (query.trim() && logs.lines.length > 0) empty = 'No lines match the search.';
    // While the run is active, more lines may still come: say so instead of "no logs".
    else if (active) empty = 'Waiting for log lines…';
    else empty = 'This run wrote no log lines.';
  }

  return (
    <div class="logs">
      <div class="logs-toolbar">
        <input
          class="input"
          type="search"
          placeholder="Search logs"
          aria-label="Search logs"
          value={query}
          onInput={(e) => setQuery(e.currentTarget.value)}
        />
        <span class="small muted" data-testid="log-count">
          {query.trim() ? `${shown.length} of ${logs.lines.length} lines` : `${logs.lines.length} lines`}
          {active && ' · following'}
        </span>
      </div>
      <ErrorBanner error={logs.error} prefix="Could not load the logs" />
      <div
        class="logs-box"
        ref={box}
        data-testid="logs"
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        {!logs.loaded && <div class="muted log-note">Loading logs…</div>}
        {shown.map((line) => (
          <LogLine key={line.id} line={line} />
        ))}
        {empty && <div class="muted log-note">{empty}</div>}
      </div>
      {logs.truncated && (
        <p class="small muted">
          Showing the first {MAX_LINES.toLocaleString()} lines. All of them: <code>baton flow-run logs {runId}</code>
        </p>
      )}
    </div>
  );
}
