import { BatonError, UnavailableError } from '../domain/errors.js';
import { HttpError, ServerUnreachableError } from './http.js';

/** Errors that mean "the server is not there right now", as opposed to an answer. */
export function isTransient(err: unknown): boolean {
  if (err instanceof ServerUnreachableError || err instanceof UnavailableError) return true;
  return err instanceof HttpError && (err.status >= 500 || err.status === 429);
}

export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/** Exponential backoff with jitter: 0.25 s doubling up to `maxMs`. */
export function backoffDelay(attempt: number, maxMs = 15_000): number {
  const base = Math.min(maxMs, 250 * 2 ** Math.min(attempt, 10));
  return base * (0.8 + Math.random() * 0.4);
}

/**
 * Calls `fn` until it succeeds or fails with an answer from the server: while the server is
 * unreachable it retries with backoff (reporting once through `onWait`), so a server restart
 * never loses a report. Stops retrying when `signal` aborts.
 */
export async function untilDelivered<T>(fn: () => Promise<T>, options: { signal?: AbortSignal; onWait?: (err: BatonError | Error) => void } = {}): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isTransient(err) || options.signal?.aborted) throw err;
      if (attempt === 0) options.onWait?.(err as Error);
      await sleep(backoffDelay(attempt), options.signal);
    }
  }
}
