import { useEffect, useRef, useState } from 'preact/hooks';
import { liveStatus, subscribe, subscribeStatus, type LiveStatus, type Notice } from '../live/events';

/**
 * Runs `refresh` when a notice matching `match` arrives (or a resync), at most once per
 * `minIntervalMs`, and not while the tab is hidden: a hidden tab catches up once it is shown.
 */
export function useLive(match: (n: Notice) => boolean, refresh: () => void, minIntervalMs = 1_000): void {
  const matchRef = useRef(match);
  const refreshRef = useRef(refresh);
  matchRef.current = match;
  refreshRef.current = refresh;

  useEffect(() => {
    let last = 0;
    let timer: number | null = null;
    let missed = false;
    const fire = () => {
      timer = null;
      if (document.hidden) {
        missed = true;
        return;
      }
      last = Date.now();
      refreshRef.current();
    };
    const unsubscribe = subscribe((n) => {
      if (n.kind !== 'resync' && !matchRef.current(n)) return;
      if (timer === null) timer = window.setTimeout(fire, Math.max(0, last + minIntervalMs - Date.now()));
    });
    const onVisibility = () => {
      if (!document.hidden && missed) {
        missed = false;
        fire();
      }
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      unsubscribe();
      if (timer !== null) window.clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [minIntervalMs]);
}

/**
 * Refreshes every `everyMs` while the tab is visible, for what changes with time alone and sends
 * no notice (a queue turns "not ready" when nobody polls it for a minute).
 */
export function useEvery(everyMs: number, refresh: () => void): void {
  const refreshRef = useRef(refresh);
  refreshRef.current = refresh;
  useEffect(() => {
    const timer = window.setInterval(() => {
      if (!document.hidden) refreshRef.current();
    }, everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
}

export function useLiveStatus(): LiveStatus {
  const [status, setStatus] = useState(liveStatus);
  useEffect(() => subscribeStatus(setStatus), []);
  return status;
}
