import type { LogLine } from '../client/flowRuns.js';
import type { BatonClient } from '../client/index.js';
import { backoffDelay, isTransient, sleep } from '../client/retry.js';

const BATCH_LINES = 1_000;
const BATCH_BYTES = 2_000_000;
const FLUSH_EVERY_MS = 100;

/**
 * Ships log lines to `POST /logs/` in order, in batches, one request at a time. Lines wait in
 * memory while the server is away and are sent when it returns; `flush()` resolves once every
 * line queued before it has been stored, which is how a run's logs land before its final state.
 */
export class LogShipper {
  private queue: LogLine[] = [];
  private sentUpTo = 0;
  private queuedUpTo = 0;
  private sending = false;
  private timer: NodeJS.Timeout | null = null;
  private waiters: { upTo: number; resolve: () => void }[] = [];
  private lastTimestamp = new Map<string, number>();
  private closed = false;

  constructor(
    private readonly api: BatonClient,
    private readonly onProblem: (message: string) => void = () => {},
  ) {}

  /**
   * Queues a line. Timestamps are kept non-decreasing per run, so lines stamped by different
   * clocks (the flow's logger, the worker reading stdout) still sort in the order they were read.
   */
  add(flowRunId: string, level: number, message: string, timestamp = Date.now(), name = 'baton.flow_runs'): void {
    const ts = Math.max(timestamp, this.lastTimestamp.get(flowRunId) ?? 0);
    this.lastTimestamp.set(flowRunId, ts);
    this.queue.push({ flow_run_id: flowRunId, level, message, name, timestamp: new Date(ts).toISOString() });
    this.queuedUpTo++;
    if (this.queue.length >= BATCH_LINES) void this.send();
    else this.timer ??= setTimeout(() => void this.send(), FLUSH_EVERY_MS);
  }

  /** Resolves when everything queued so far is stored. */
  flush(): Promise<void> {
    if (this.sentUpTo >= this.queuedUpTo) return Promise.resolve();
    const upTo = this.queuedUpTo;
    const done = new Promise<void>((resolve) => this.waiters.push({ upTo, resolve }));
    void this.send();
    return done;
  }

  /** Forgets a finished run's timestamp bookkeeping. */
  forget(flowRunId: string): void {
    this.lastTimestamp.delete(flowRunId);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }

  get pending(): number {
    return this.queue.length;
  }

  private async send(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.sending) return;
    this.sending = true;
    try {
      let attempt = 0;
      while (this.queue.length > 0) {
        let bytes = 0;
        let n = 0;
        while (n < this.queue.length && n < BATCH_LINES && bytes < BATCH_BYTES) bytes += (this.queue[n]?.message.length ?? 0) + 100, n++;
        const batch = this.queue.slice(0, n);
        try {
          await this.api.flowRuns.sendLogs(batch);
          attempt = 0;
        } catch (err) {
          if (!isTransient(err)) {
            // The server refused the batch (it will not change its mind): report and drop it.
            this.onProblem(`dropped ${batch.length} log line(s) the server refused: ${(err as Error).message}`);
          } else {
            if (attempt === 0) this.onProblem(`cannot send logs (${(err as Error).message}); holding ${this.queue.length} line(s) and retrying`);
            if (this.closed) return;
            await sleep(backoffDelay(attempt++));
            continue;
          }
        }
        this.queue.splice(0, n);
        this.sentUpTo += n;
        this.waiters = this.waiters.filter((w) => {
          if (w.upTo > this.sentUpTo) return true;
          w.resolve();
          return false;
        });
      }
    } finally {
      this.sending = false;
    }
  }
}
