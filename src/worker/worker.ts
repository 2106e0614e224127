import { join } from 'node:path';
import { BatonClient } from '../client/index.js';
import type { ClaimedRun } from '../domain/schemas/workerRuns.js';
import { NotFoundError, ConflictError } from '../domain/errors.js';
import { DEFAULT_PROCESS_TEMPLATE } from '../domain/jobTemplate.js';
import { LogShipper } from './logShipper.js';
import { backoffDelay, isTransient, sleep, untilDelivered } from '../client/retry.js';
import { RunExecution } from './runExecution.js';
import { describeExit, FlowProcess } from './flowProcess.js';
import { workerEnv } from './jobConfig.js';
import { engineCommand } from '../engine/command.js';

export interface WorkerOptions {
  apiUrl: string;
  pool: string;
  /** Queue names to take runs from; empty for all of the pool's queues. */
  queues: string[];
  name: string;
  /** Most runs at once (null: no limit). */
  limit: number | null;
  prefetchSeconds: number;
  heartbeatSeconds: number;
  cancelGraceSeconds: number;
  runOnce: boolean;
  /** BATON_HOME, for the git clone cache. */
  home: string;
  /** Writes a line to the worker's terminal. */
  print: (line: string) => void;
}

/** How long one claim or cancellation long-poll waits before asking again. */
const LONG_POLL_SECONDS = 30;
const MAX_CLAIM_BATCH = 10;

/**
 * `baton worker start`: heartbeats, claims runs with a long-poll the moment they are due, runs
 * each as a subprocess (RunExecution), and follows cancellations. A failing run never stops the
 * worker; a server that goes away is waited for with backoff. The first stop() stops claiming and
 * lets running flows finish; the second kills them.
 */
export class Worker {
  private readonly api: BatonClient;
  private readonly logs: LogShipper;
  private readonly active = new Map<string, RunExecution>();
  private template: Record<string, unknown> = DEFAULT_PROCESS_TEMPLATE as unknown as Record<string, unknown>;
  private readonly halt = new AbortController();
  private stopRequests = 0;
  private slotFreed: (() => void) | null = null;
  private serverDown = false;
  /** Engines started ahead of time, already loaded and waiting for a run (user-needs A1, A2). */
  private spares: FlowProcess[] = [];

  constructor(private readonly options: WorkerOptions) {
    this.api = new BatonClient(options.apiUrl);
    this.logs = new LogShipper(this.api, (m) => this.say('WARNING', m));
  }

  private say(level: string, message: string): void {
    this.options.print(`${new Date().toISOString().slice(11, 23)} | ${level.padEnd(7)} | ${message}`);
  }

  get running(): number {
    return this.active.size;
  }

  /** Runs until stopped (or, with runOnce, until one round of claimed runs is done). */
  async start(): Promise<void> {
    await this.setup();
    this.say('INFO', `Worker '${this.options.name}' started! Polling pool '${this.options.pool}'${this.options.queues.length ? ` (queues ${this.options.queues.join(', ')})` : ''}.`);
    this.replenishSpares();
    const heartbeat = this.heartbeatLoop();
    const cancellations = this.cancellationLoop();
    if (this.options.runOnce) {
      const claimed = await this.claim(0);
      for (const run of claimed) this.launch(run);
      await this.drain();
    } else {
      await this.claimLoop();
      await this.drain();
    }
    this.halt.abort();
    await this.killSpares();
    await Promise.allSettled([heartbeat, cancellations]);
    await this.logs.flush();
    this.logs.close();
    this.api.close();
    this.say('INFO', `Worker '${this.options.name}' stopped!`);
  }

  /** First call: stop claiming and wait for running flows. Second: kill them. */
  stop(): void {
    this.stopRequests++;
    if (this.stopRequests === 1) {
      this.say('INFO', this.active.size > 0 ? `Stopping: waiting for ${this.active.size} running flow run(s) to finish (stop again to kill them).` : 'Stopping.');
      this.claimAbort?.abort();
      this.slotFreed?.();
    } else if (this.stopRequests === 2) {
      this.say('WARNING', `Killing ${this.active.size} running flow run(s).`);
      for (const e of this.active.values()) e.shutdown();
    }
  }

  private get stopping(): boolean {
    return this.stopRequests > 0;
  }

  /** Reads the pool (creating a process pool if it is missing), waiting for the server if needed. */
  private async setup(): Promise<void> {
    const pool = await untilDelivered(
      async () => {
        try {
          return await this.api.workPools.read(this.options.pool);
        } catch (err) {
          if (!(err instanceof NotFoundError)) throw err;
          try {
            const created = await this.api.workPools.create({ name: this.options.pool, type: 'process' });
            this.say('INFO', `Created work pool '${this.options.pool}' (type process).`);
            return created;
          } catch (createErr) {
            if (createErr instanceof ConflictError) return this.api.workPools.read(this.options.pool);
            throw createErr;
          }
        }
      },
      { signal: this.halt.signal, onWait: (err) => this.say('WARNING', `${err.message} Retrying…`) },
    );
    if (pool.type !== 'process') this.say('WARNING', `Pool '${pool.name}' is of type '${pool.type}'; this worker runs process jobs.`);
    if (pool.is_paused) this.say('WARNING', `Work pool '${pool.name}' is paused: no runs will be handed out until it is resumed.`);
    if (Object.keys(pool.base_job_template).length > 0) this.template = pool.base_job_template;
    await this.heartbeat();
  }

  private async heartbeat(): Promise<void> {
    await this.api.workPools.heartbeat(this.options.pool, this.options.name, this.options.heartbeatSeconds);
    const pool = await this.api.workPools.read(this.options.pool);
    if (Object.keys(pool.base_job_template).length > 0) this.template = pool.base_job_template;
  }

  private async heartbeatLoop(): Promise<void> {
    let failures = 0;
    while (!this.halt.signal.aborted) {
      await sleep(failures > 0 ? Math.min(backoffDelay(failures), this.options.heartbeatSeconds * 1000) : this.options.heartbeatSeconds * 1000, this.halt.signal);
      if (this.halt.signal.aborted) return;
      try {
        await this.heartbeat();
        if (this.serverDown) this.say('INFO', 'The server is reachable again.');
        this.serverDown = false;
        failures = 0;
      } catch (err) {
        failures++;
        this.noteFailure(err);
      }
    }
  }

  private noteFailure(err: unknown): void {
    if (isTransient(err)) {
      if (!this.serverDown) this.say('WARNING', `${(err as Error).message} Retrying with backoff; running flows carry on.`);
      this.serverDown = true;
    } else {
      this.say('ERROR', (err as Error).message);
    }
  }

  private claimAbort: AbortController | null = null;

  private async claim(waitSeconds: number): Promise<ClaimedRun[]> {
    const capacity = this.options.limit === null ? MAX_CLAIM_BATCH : Math.min(MAX_CLAIM_BATCH, this.options.limit - this.active.size);
    if (capacity <= 0) return [];
    this.claimAbort = new AbortController();
    try {
      return await this.api.worker.claim(
        this.options.pool,
        {
          worker_name: this.options.name,
          ...(this.options.queues.length > 0 ? { work_queue_names: this.options.queues } : {}),
          limit: capacity,
          prefetch_seconds: this.options.prefetchSeconds,
          wait_seconds: waitSeconds,
        },
        this.claimAbort.signal,
      );
    } finally {
      this.claimAbort = null;
    }
  }

  private async claimLoop(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      if (this.options.limit !== null && this.active.size >= this.options.limit) {
        await new Promise<void>((resolve) => (this.slotFreed = resolve));
        this.slotFreed = null;
        continue;
      }
      try {
        const claimed = await this.claim(LONG_POLL_SECONDS);
        if (this.serverDown) this.say('INFO', 'The server is reachable again.');
        this.serverDown = false;
        failures = 0;
        for (const run of claimed) this.launch(run);
      } catch (err) {
        if (this.stopping) break;
        failures++;
        this.noteFailure(err);
        await sleep(backoffDelay(failures), this.halt.signal);
      }
    }
  }

  private launch(claim: ClaimedRun): void {
    const execution = new RunExecution(claim, {
      api: this.api,
      apiUrl: this.options.apiUrl,
      workerName: this.options.name,
      template: this.template,
      logs: this.logs,
      repoCacheDir: join(this.options.home, 'repos'),
      cancelGraceMs: this.options.cancelGraceSeconds * 1000,
      print: (line) => this.options.print(`${new Date().toISOString().slice(11, 23)} | ${line}`),
    });
    this.active.set(execution.id, execution);
    if (this.stopRequests >= 2) execution.shutdown();
    void execution.run(() => this.takeSpare()).finally(() => {
      this.active.delete(execution.id);
      this.slotFreed?.();
      this.idle?.();
    });
  }

  private idle: (() => void) | null = null;

  private get spareTarget(): number {
    return this.options.limit === null ? 2 : Math.min(2, this.options.limit);
  }

  /** Keeps engines started ahead, so a claimed run skips the process's start-up. */
  private replenishSpares(): void {
    if (this.stopping) return;
    while (this.spares.length < this.spareTarget) {
      const { command, args, env } = engineCommand();
      const spare = new FlowProcess({
        command,
        args,
        env: { ...workerEnv(process.env, this.options.apiUrl, this.options.name), ...env },
        cwd: process.cwd(),
      });
      this.spares.push(spare);
      void spare.exited.then((exit) => {
        const index = this.spares.indexOf(spare);
        if (index === -1) return; // handed to a run, which reports its end
        this.spares.splice(index, 1);
        if (!this.stopping) {
          this.say('WARNING', `A pre-started engine exited while waiting (${describeExit(exit)}${exit.stderrTail.length ? ` ${exit.stderrTail.join(' ')}` : ''}); starting another.`);
          setTimeout(() => this.replenishSpares(), 1_000).unref();
        }
      });
    }
  }

  private takeSpare(): FlowProcess | null {
    const index = this.spares.findIndex((s) => !s.hasExited);
    if (index === -1) return null;
    const [spare] = this.spares.splice(index, 1);
    this.replenishSpares();
    return spare ?? null;
  }

  private async killSpares(): Promise<void> {
    const spares = this.spares;
    this.spares = [];
    await Promise.all(spares.map((s) => s.kill(0)));
  }

  private async drain(): Promise<void> {
    while (this.active.size > 0) {
      await new Promise<void>((resolve) => (this.idle = resolve));
      this.idle = null;
    }
  }

  private async cancellationLoop(): Promise<void> {
    let failures = 0;
    while (!this.halt.signal.aborted) {
      try {
        const cancelling = await this.api.worker.cancellations(this.options.pool, this.options.name, LONG_POLL_SECONDS, this.halt.signal);
        failures = 0;
        let acted = false;
        for (const { flow_run_id } of cancelling) {
          const execution = this.active.get(flow_run_id);
          if (execution) {
            execution.cancel();
            acted = true;
          }
        }
        // The answer keeps listing a run until it is CANCELLED: pause briefly instead of spinning.
        if (cancelling.length > 0) await sleep(acted ? 200 : 1000, this.halt.signal);
      } catch (err) {
        if (this.halt.signal.aborted) return;
        failures++;
        await sleep(backoffDelay(failures), this.halt.signal);
      }
    }
  }
}
