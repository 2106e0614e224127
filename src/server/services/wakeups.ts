import type { Change, Store } from '../../store/store.js';

/** What a change can wake: waiters on a pool (claims) or on a worker (its cancellations). */
export function wakeKeys(change: Change): string[] {
  switch (change.kind) {
    case 'work_pool':
    case 'work_queue':
    case 'worker':
      return [`pool:${change.workPoolId}`];
    case 'deployment':
      return change.workPoolId ? [`pool:${change.workPoolId}`] : [];
    case 'flow_run': {
      const keys = change.workPoolId ? [`pool:${change.workPoolId}`] : [];
      if (change.workerId) keys.push(`worker:${change.workerId}`);
      keys.push(`run:${change.flowRunId}`);
      return keys;
    }
    case 'logs':
      return change.flowRunIds.map((id) => `logs:${id}`);
  }
}

export interface WaitOptions<T> {
  /** Keys whose changes make the waiter try again. */
  keys: string[];
  /** One try: a result ends the wait; null keeps waiting. */
  attempt: () => Promise<T | null>;
  timeoutMs: number;
  /** When to try again without a change (e.g. when the next run becomes due), as epoch ms. */
  nextAttemptAt?: () => Promise<number | null>;
  /** Ends the wait early (the client went away). */
  signal?: AbortSignal;
}

interface Waiter {
  poke: () => void;
  /** Ends the wait now with no result (server shutting down). */
  end: () => void;
}

/**
 * Long-polls without polling the database: a waiter tries once, then sleeps until a committed
 * change touches one of its keys, its own timer fires, or its time is up. Pokes arriving while an
 * attempt runs coalesce into one more attempt.
 */
export class Wakeups {
  private readonly waiters = new Map<string, Set<Waiter>>();
  private readonly unsubscribe: () => void;
  private readonly clock: () => number;
  private closed = false;

  constructor(store: Store, clock: () => number = Date.now) {
    this.clock = clock;
    this.unsubscribe = store.onChange((change) => {
      for (const key of wakeKeys(change)) for (const w of this.waiters.get(key) ?? []) w.poke();
    });
  }

  /** Pokes every waiter of a key (used by services whose changes are not store writes, e.g. time). */
  poke(key: string): void {
    for (const w of this.waiters.get(key) ?? []) w.poke();
  }

  get size(): number {
    let n = 0;
    for (const set of this.waiters.values()) n += set.size;
    return n;
  }

  /** Ends every wait with no result, so shutdown is not held up by long-polls. */
  close(): void {
    this.closed = true;
    this.unsubscribe();
    for (const set of [...this.waiters.values()]) for (const w of [...set]) w.end();
  }

  async wait<T>(options: WaitOptions<T>): Promise<T | null> {
    const first = await options.attempt();
    if (first !== null || options.timeoutMs <= 0 || options.signal?.aborted || this.closed) return first;

    return new Promise<T | null>((resolve, reject) => {
      let done = false;
      let running = false;
      let again = false;
      let retryTimer: NodeJS.Timeout | null = null;
      const deadline = setTimeout(() => finish(null), options.timeoutMs);

      const cleanup = (): boolean => {
        if (done) return false;
        done = true;
        clearTimeout(deadline);
        if (retryTimer) clearTimeout(retryTimer);
        for (const key of options.keys) {
          const set = this.waiters.get(key);
          set?.delete(waiter);
          if (set?.size === 0) this.waiters.delete(key);
        }
        options.signal?.removeEventListener('abort', onAbort);
        return true;
      };
      const finish = (value: T | null): void => {
        if (cleanup()) resolve(value);
      };
      const onAbort = (): void => finish(null);

      const schedule = async (): Promise<void> => {
        if (!options.nextAttemptAt || done) return;
        const at = await options.nextAttemptAt();
        if (done) return;
        if (retryTimer) clearTimeout(retryTimer);
        retryTimer = null;
        if (at !== null) retryTimer = setTimeout(() => waiter.poke(), Math.max(0, at - this.clock()));
      };

      const run = async (): Promise<void> => {
        if (done) return;
        if (running) {
          again = true;
          return;
        }
        running = true;
        try {
          do {
            again = false;
            const result = await options.attempt();
            if (result !== null) return finish(result);
          } while (again && !done);
          await schedule();
        } catch (err) {
          if (cleanup()) reject(err);
        } finally {
          running = false;
        }
      };

      const waiter: Waiter = { poke: () => void run(), end: () => finish(null) };
      for (const key of options.keys) {
        let set = this.waiters.get(key);
        if (!set) this.waiters.set(key, (set = new Set()));
        set.add(waiter);
      }
      options.signal?.addEventListener('abort', onAbort);
      void schedule();
    });
  }
}
