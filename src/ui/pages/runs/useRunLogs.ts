import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { Log } from '../../api/types';

const PAGE = 200;
/** Enough to read in a browser; the CLI (`baton flow-run logs`) has the rest. */
export const MAX_LINES = 10_000;

export interface RunLogs {
  lines: Log[];
  loaded: boolean;
  truncated: boolean;
  error: Error | null;
  /** Fetches lines newer than the last one held (the run wrote more). */
  fetchNew: () => void;
}

/**
 * A run's log lines: all of them once, then only the new ones (`timestamp.after_` the last line
 * held) each time the run writes more. `after_` includes lines at that same instant, so lines are
 * de-duplicated by id; a worker keeps each run's timestamps non-decreasing, so nothing earlier
 * can arrive later.
 */
export function useRunLogs(runId: string): RunLogs {
  const [state, setState] = useState<Omit<RunLogs, 'fetchNew'>>({ lines: [], loaded: false, truncated: false, error: null });
  const held = useRef<{ lines: Log[]; ids: Set<string>; busy: boolean; again: boolean; alive: boolean }>({
    lines: [],
    ids: new Set(),
    busy: false,
    again: false,
    alive: true,
  });

  const fetchNew = useCallback(async () => {
    const h = held.current;
    if (h.busy) {
      h.again = true;
      return;
    }
    h.busy = true;
    try {
      do {
        h.again = false;
        const after = h.lines.at(-1)?.timestamp;
        let added = false;
        for (let offset = 0; h.lines.length < MAX_LINES; offset += PAGE) {
          const logs: Record<string, unknown> = { flow_run_id: { any_: [runId] } };
          if (after) logs.timestamp = { after_: after };
          const batch = await api.post<Log[]>('/logs/filter', { logs, sort: 'TIMESTAMP_ASC', limit: PAGE, offset });
          if (!h.alive) return;
          for (const line of batch) {
            if (h.ids.has(line.id)) continue;
            h.ids.add(line.id);
            h.lines.push(line);
            added = true;
          }
          if (batch.length < PAGE) break;
        }
        const truncated = h.lines.length >= MAX_LINES;
        setState((s) => ({ lines: added ? [...h.lines] : s.lines, loaded: true, truncated, error: null }));
      } while (h.again && h.alive);
    } catch (err) {
      if (h.alive) setState((s) => ({ ...s, loaded: true, error: err as Error }));
    } finally {
      h.busy = false;
    }
  }, [runId]);

  useEffect(() => {
    held.current.alive = true;
    void fetchNew();
    return () => {
      held.current.alive = false;
    };
  }, [fetchNew]);

  return { ...state, fetchNew: () => void fetchNew() };
}
