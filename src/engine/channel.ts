import type { OutputCounter } from './outputCounter.js';
import type { EngineMessage, OrchestrationResult, ProposedState, RunAssignment } from './protocol.js';
import { parseWorkerMessage } from './workerMessages.js';

/** An EngineMessage before the channel stamps the output byte counts on it. */
type Outgoing = EngineMessage extends infer M ? (M extends unknown ? Omit<M, 'stdoutBytes' | 'stderrBytes'> : never) : never;

/** The worker could not carry out a request (it answered with an error instead of a result). */
export class WorkerRequestError extends Error {
  override readonly name = 'WorkerRequestError';
}

/** The engine's side of the IPC channel to the worker that spawned it. */
export class WorkerChannel {
  private nextRequestId = 1;
  private readonly pending = new Map<number, { resolve: (r: OrchestrationResult) => void; reject: (e: Error) => void }>();
  private startWaiter: ((run: RunAssignment) => void) | undefined;
  private started: RunAssignment | undefined;
  private failure: ((error: Error) => void) | undefined;

  constructor(
    private readonly output: OutputCounter,
    private readonly proc: NodeJS.Process = process,
  ) {
    proc.on('message', (raw) => this.receive(raw));
  }

  /** Stamps the byte counts on a message and sends it. */
  send(message: Outgoing): void {
    const stamped = { ...message, stdoutBytes: this.output.stdoutBytes(), stderrBytes: this.output.stderrBytes() };
    this.proc.send?.(stamped);
  }

  /** Resolves with the run once the worker sends `start`. */
  waitForStart(): Promise<RunAssignment> {
    if (this.started) return Promise.resolve(this.started);
    return new Promise((resolve, reject) => {
      this.startWaiter = resolve;
      this.failure = reject;
    });
  }

  /**
   * Proposes a state through the worker and resolves with the server's answer. It first lets one
   * turn of the event loop pass, so output the flow left on its way (a `process.nextTick`, a
   * warning, which Node writes a tick later) is written and counted before the state.
   */
  async proposeState(state: ProposedState): Promise<OrchestrationResult> {
    await new Promise((resolve) => setImmediate(resolve));
    const requestId = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      this.send({ type: 'set_state', requestId, state });
    });
  }

  private receive(raw: unknown): void {
    let message;
    try {
      message = parseWorkerMessage(raw);
    } catch (error) {
      this.fail(new Error(`The worker sent a message baton's engine does not understand: ${(error as Error).message}`));
      return;
    }
    if (message.type === 'start') {
      if (this.started) return;
      this.started = message.run;
      this.startWaiter?.(message.run);
      return;
    }
    const waiter = this.pending.get(message.requestId);
    if (!waiter) return;
    this.pending.delete(message.requestId);
    if (message.result) waiter.resolve(message.result);
    else waiter.reject(new WorkerRequestError(`The worker could not set the state: ${message.error ?? 'no result'}`));
  }

  private fail(error: Error): void {
    this.proc.stderr.write(`${error.message}\n`);
    this.failure?.(error);
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}
