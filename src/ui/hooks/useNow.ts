import { useEffect, useState } from 'preact/hooks';

/**
 * The current time, ticking once a second for every relative time on the page through one shared
 * timer (no requests: "3 s ago" ages on its own).
 */
const listeners = new Set<(now: number) => void>();
let timer: number | null = null;

function subscribe(listener: (now: number) => void): () => void {
  listeners.add(listener);
  timer ??= window.setInterval(() => {
    const now = Date.now();
    for (const l of listeners) l(now);
  }, 1_000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== null) {
      window.clearInterval(timer);
      timer = null;
    }
  };
}

export function useNow(): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => subscribe(setNow), []);
  return now;
}
