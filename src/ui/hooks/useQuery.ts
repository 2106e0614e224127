import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Query<T> {
  data: T | undefined;
  /** The last failure; cleared by the next success. Data from before a failure stays shown. */
  error: Error | null;
  /** True until the first answer for the current `deps`. */
  loading: boolean;
  /** Loads again, keeping what is shown until the answer arrives. */
  reload: () => void;
}

/**
 * Loads data for a view. Changing `deps` starts over (new resource); `reload` refreshes in place.
 * One request at a time: reloads asked for while one runs become a single follow-up, so a burst
 * of live notices never piles up requests, and an answer for old `deps` is never shown.
 */
export function useQuery<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): Query<T> {
  const [state, setState] = useState<{ data: T | undefined; error: Error | null; loading: boolean }>({
    data: undefined,
    error: null,
    loading: true,
  });
  const loadRef = useRef(load);
  loadRef.current = load;
  const run = useRef<{ generation: number; busy: boolean; again: boolean; controller: AbortController | null }>({
    generation: 0,
    busy: false,
    again: false,
    controller: null,
  });

  const start = useCallback(async (generation: number) => {
    const r = run.current;
    if (r.busy) {
      r.again = true;
      return;
    }
    r.busy = true;
    try {
      do {
        r.again = false;
        const controller = new AbortController();
        r.controller = controller;
        try {
          const data = await loadRef.current(controller.signal);
          if (generation === r.generation) setState({ data, error: null, loading: false });
        } catch (err) {
          if ((err as Error).name === 'AbortError') return;
          if (generation === r.generation) setState((s) => ({ data: s.data, error: err as Error, loading: false }));
        }
      } while (r.again && generation === r.generation);
    } finally {
      // A superseded loop must not mark the current generation's loop as finished.
      if (generation === r.generation) r.busy = false;
    }
  }, []);

  useEffect(() => {
    const r = run.current;
    r.generation++;
    r.controller?.abort();
    r.busy = false;
    r.again = false;
    setState({ data: undefined, error: null, loading: true });
    void start(r.generation);
    return () => r.controller?.abort();
  }, deps);

  const reload = useCallback(() => void start(run.current.generation), [start]);
  return { ...state, reload };
}
