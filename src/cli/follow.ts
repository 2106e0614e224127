import { ServerUnreachableError, type BatonClient } from '../client/index.js';
import { isTransient } from '../client/retry.js';
import { BatonError } from '../domain/errors.js';
import type { FlowRun } from '../domain/schemas/flowRuns.js';
import type { Log } from '../domain/schemas/logs.js';
import type { State } from '../domain/schemas/states.js';
import { isTerminal } from '../domain/states.js';
import { println } from './output.js';
import { formatLogLine, formatStateLine } from './runDisplay.js';
import { readRun } from './runRef.js';

/**
 * Following a run until it ends, printing its new states and log lines as they happen: shared by
 * `deployment run --watch`, `flow-run watch` and `flow-run logs --follow`.
 */

/** A watched run ended in a state other than COMPLETED: the command exits 1. */
export class RunNotCompletedError extends BatonError {
  override readonly name = 'RunNotCompletedError';
}

/** A watch gave up waiting (the run itself carries on): the command exits 1. */
export class WatchTimeoutError extends BatonError {
  override readonly name = 'WatchTimeoutError';
}

export const POLL_INTERVAL_MS = 250;
/** While the server is unreachable, it is tried this often. */
const OUTAGE_RETRY_MS = 1_000;
const PAGE_SIZE = 200;
/**
 * Lines are stored with the timestamp their writer gave them, and writers send in batches, so a
 * line can arrive stamped a little before one already shown. Each poll looks back this far and
 * skips the ids it has printed, instead of losing such a line.
 */
const LOOKBACK_MS = 2_000;

const iso = (ms: number): string => new Date(ms).toISOString();

/** The log lines of a run not yet shown, fetched a page of 200 at a time. */
export class LogCursor {
  private latest: number | null = null;
  private newestShownCreated = -Infinity;
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly api: BatonClient,
    private readonly runId: string,
  ) {}

  private remember(log: Log): void {
    const ts = Date.parse(log.timestamp);
    this.seen.set(log.id, ts);
    if (this.latest === null || ts > this.latest) this.latest = ts;
  }

  private forgetOld(): void {
    if (this.latest === null) return;
    for (const [id, ts] of this.seen) if (ts < this.latest - LOOKBACK_MS) this.seen.delete(id);
  }

  private async fetchSince(since: number | null): Promise<Log[]> {
    const lines: Log[] = [];
    for (let offset = 0; ; offset += PAGE_SIZE) {
      const page = await this.api.flowRuns.logs({
        logs: { flow_run_id: { any_: [this.runId] }, ...(since === null ? {} : { timestamp: { after_: iso(since) } }) },
        sort: 'TIMESTAMP_ASC',
        limit: PAGE_SIZE,
        offset,
      });
      lines.push(...page);
      if (page.length < PAGE_SIZE) return lines;
    }
  }

  /** Counts a line printed some other way (`logs --tail`) as shown. */
  markShown(log: Log): void {
    this.remember(log);
    this.newestShownCreated = Math.max(this.newestShownCreated, Date.parse(log.created));
  }

  /**
   * After markShown: lines stored before the newest shown one, but left out (by --tail), count as
   * shown too, so that following prints only lines written later.
   */
  async skipUnshown(): Promise<void> {
    if (this.latest === null) return;
    for (const log of await this.fetchSince(this.latest - LOOKBACK_MS)) {
      if (Date.parse(log.created) <= this.newestShownCreated) this.remember(log);
    }
    this.forgetOld();
  }

  /** Lines stored since the last call, oldest first. */
  async next(): Promise<Log[]> {
    const lines = await this.fetchSince(this.latest === null ? null : this.latest - LOOKBACK_MS);
    const fresh = lines.filter((l) => !this.seen.has(l.id));
    for (const log of fresh) this.remember(log);
    this.forgetOld();
    return fresh;
  }
}

export interface FollowOptions {
  onLog: (log: Log) => void;
  /** Called for each new state; without it states are not fetched. */
  onState?: (state: State) => void;
  /** Give up (WatchTimeoutError) after this long. */
  timeoutMs?: number | undefined;
  /** Where log lines continue from (default: the run's first line). */
  cursor?: LogCursor;
  /** How long the server may stay unreachable once the follow has begun (default 60 s). */
  outageLimitMs?: number;
}

/**
 * A server restart or a moment without a network does not end a follow: once the run has been
 * read, unreachable-server errors are retried (said once on stderr) for up to this long.
 */
export const OUTAGE_LIMIT_MS = 60_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls the run, its states and its logs until it reaches a terminal state; returns it then. */
export async function followRun(api: BatonClient, runId: string, options: FollowOptions): Promise<FlowRun> {
  const started = Date.now();
  const cursor = options.cursor ?? new LogCursor(api, runId);
  const outageLimit = options.outageLimitMs ?? OUTAGE_LIMIT_MS;
  let lastState = -Infinity;
  let lastStateId: string | null = null;
  let known: FlowRun | null = null;
  let outageSince: number | null = null;

  /** One poll: what to print, in order, and where the state history now stands. */
  const poll = async () => {
    // The run is read before its logs: every line is stored before the final state is, so once
    // this read sees a terminal state the log fetch below is complete.
    const run = await readRun(api, runId);
    const events: { ts: number; print: () => void }[] = [];
    let stateMark = { at: lastState, id: lastStateId };
    if (options.onState && run.state && run.state.id !== lastStateId) {
      const current = Date.parse(run.state.timestamp);
      const history = (await api.flowRuns.states(runId)).filter((s) => {
        const ts = Date.parse(s.timestamp);
        return ts > lastState && ts <= current;
      });
      if (!history.some((s) => s.id === run.state?.id)) history.push(run.state);
      for (const state of history) events.push({ ts: Date.parse(state.timestamp), print: () => options.onState?.(state) });
      stateMark = { at: current, id: run.state.id };
    }
    for (const log of await cursor.next()) events.push({ ts: Date.parse(log.timestamp), print: () => options.onLog(log) });
    events.sort((a, b) => a.ts - b.ts);
    return { run, events, stateMark };
  };

  for (;;) {
    let run: FlowRun;
    try {
      const result = await poll();
      run = known = result.run;
      // Only a poll that fetched everything moves the marks, so an outage halfway loses nothing.
      lastState = result.stateMark.at;
      lastStateId = result.stateMark.id;
      if (outageSince !== null) process.stderr.write('Reconnected to the server; still following.\n');
      outageSince = null;
      for (const event of result.events) event.print();
    } catch (err) {
      if (known === null || !isTransient(err)) throw err;
      if (outageSince === null) {
        outageSince = Date.now();
        const why = err instanceof ServerUnreachableError ? `Lost the server at ${err.apiUrl} (${err.reason}).` : (err as Error).message;
        process.stderr.write(`${why} Still following flow run '${known.name}'; retrying.\n`);
      }
      if (Date.now() - outageSince >= outageLimit) throw err;
      run = known;
    }
    if (isTerminal(run.state_type)) return run;
    const limit = options.timeoutMs;
    const left = limit === undefined ? POLL_INTERVAL_MS : started + limit - Date.now();
    if (limit !== undefined && left <= 0) {
      throw new WatchTimeoutError(
        `Flow run '${run.name}' did not finish within ${limit / 1000} s; it is ${run.state?.name ?? 'without a state'}. ` +
          `It carries on: follow it with \`baton flow-run watch ${run.id}\`.`,
      );
    }
    await sleep(Math.min(outageSince === null ? POLL_INTERVAL_MS : OUTAGE_RETRY_MS, left));
  }
}

/**
 * Prints a run's states and log lines until it ends. Succeeds only if it ends COMPLETED; any other
 * end is a RunNotCompletedError, so the command exits 1.
 */
export async function watchRun(api: BatonClient, runId: string, timeoutMs?: number): Promise<FlowRun> {
  const run = await followRun(api, runId, {
    onLog: (log) => println(formatLogLine(log)),
    onState: (state) => println(formatStateLine(state)),
    timeoutMs,
  });
  const state = run.state?.name ?? run.state_type ?? 'unknown';
  if (run.state_type === 'COMPLETED') {
    println(`Flow run '${run.name}' finished in state ${state}.`);
    return run;
  }
  const why = run.state?.message ? `: ${run.state.message}` : '';
  throw new RunNotCompletedError(`Flow run '${run.name}' finished in state ${state}${why}.`);
}
