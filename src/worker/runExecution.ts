import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BatonClient } from '../client/index.js';
import type { ClaimedRun } from '../domain/schemas/workerRuns.js';
import { ConflictError, NotFoundError } from '../domain/errors.js';
import type { OrchestrationResult, StateCreateInput } from '../domain/schemas/states.js';
import { isTerminal, type StateType } from '../domain/states.js';
import { engineCommand } from '../engine/command.js';
import { LOG_LEVELS, type EngineMessage, type OrchestrationResult as EngineResult, type ProposedState, type RunAssignment } from '../engine/protocol.js';
import { needsFreshProcess, processJob, runEnv, workerEnv, type ProcessJob } from './jobConfig.js';
import { levelName, parseFrame } from './lines.js';
import type { LogShipper } from './logShipper.js';
import { describeExit, FlowProcess, type ProcessExit } from './flowProcess.js';
import { PullStepError, runPullSteps, type PullResult } from './pullSteps.js';
import { untilDelivered } from '../client/retry.js';

export interface ExecutionContext {
  api: BatonClient;
  apiUrl: string;
  workerName: string;
  template: Record<string, unknown>;
  logs: LogShipper;
  /** Where git clones are cached. */
  repoCacheDir: string;
  cancelGraceMs: number;
  /** Prints a line on the worker's terminal. */
  print: (line: string) => void;
}

/** Why the worker itself ended the process. */
type Stop = { kind: 'cancel' } | { kind: 'timeout'; seconds: number } | { kind: 'shutdown' } | { kind: 'lost'; reason: string };

const WORKER_LOGGER = 'baton.worker';

/**
 * One claimed run, from claim to final state: pull steps, the process (engine), its output into
 * the run's logs, the engine's state proposals relayed to the server, timeout and cancellation,
 * and a crash report if the process ends without a final state. Logs are always flushed before
 * any final state is proposed.
 */
export class RunExecution {
  readonly id: string;
  private readonly token: string;
  private readonly name: string;
  private process: FlowProcess | null = null;
  private job: ProcessJob | null = null;
  private stop: Stop | null = null;
  private finalState: StateType | null = null;
  private timeoutTimer: NodeJS.Timeout | null = null;
  private timeoutSeconds: number | null = null;
  private engineSpoke = false;
  private readonly relays: Promise<void>[] = [];

  constructor(
    private readonly claim: ClaimedRun,
    private readonly ctx: ExecutionContext,
  ) {
    this.id = claim.flow_run.id;
    this.token = claim.claim_token;
    this.name = claim.flow_run.name;
  }

  private log(level: number, message: string, name = WORKER_LOGGER, timestamp = Date.now()): void {
    this.ctx.logs.add(this.id, level, message, timestamp, name);
  }

  /** Worker-side events: stored in the run's logs and shown on the worker's terminal. */
  private say(level: number, message: string): void {
    this.log(level, message);
    this.ctx.print(`${this.name} | ${levelName(level).padEnd(7)} | ${message}`);
  }

  /**
   * Runs to the end; never throws (a failure of the run is reported as its state). `takeSpare`
   * hands over an engine the worker started ahead of time, when the job can use one.
   */
  async run(takeSpare: () => FlowProcess | null = () => null): Promise<void> {
    let pulled: PullResult | null = null;
    let runDir: string | null = null;
    try {
      const deployment = this.claim.deployment;
      if (!deployment?.entrypoint) {
        this.say(LOG_LEVELS.error, 'This run has no deployment entrypoint, so there is nothing to start.');
        await this.report({ type: 'FAILED', message: 'The run has no deployment with an entrypoint.' });
        return;
      }
      this.job = processJob(this.ctx.template, this.claim);
      this.say(LOG_LEVELS.info, `Worker '${this.ctx.workerName}' is starting flow run '${this.name}'.`);
      if (deployment.pull_steps && deployment.pull_steps.length > 0) {
        runDir = await mkdtemp(join(tmpdir(), `baton-run-${this.id.slice(0, 8)}-`));
        await rm(runDir, { recursive: true, force: true });
        try {
          pulled = await runPullSteps(deployment.pull_steps, {
            cacheDir: this.ctx.repoCacheDir,
            runDir,
            env: { ...process.env, ...this.job.env },
            log: (m) => this.say(LOG_LEVELS.info, m),
          });
        } catch (err) {
          if (!(err instanceof PullStepError)) throw err;
          this.say(LOG_LEVELS.error, err.message);
          await this.report({ type: 'FAILED', message: `Pull step failed: ${err.message}` });
          return;
        }
      }
      if (this.stop?.kind === 'cancel') {
        await this.report({ type: 'CANCELLED', message: 'The flow run was cancelled before its process started.' }, true);
        return;
      }
      await this.startProcess(this.job, deployment.entrypoint, pulled?.directory ?? null, deployment.path, needsFreshProcess(this.job) ? null : takeSpare());
    } catch (err) {
      this.say(LOG_LEVELS.error, `The worker could not start the run: ${(err as Error).message}`);
      await this.report({ type: 'CRASHED', message: `Failed to submit flow run: ${(err as Error).message}` }).catch(() => {});
    } finally {
      this.clearTimeout();
      await pulled?.cleanup();
      if (runDir) await rm(runDir, { recursive: true, force: true }).catch(() => {});
      this.ctx.logs.forget(this.id);
    }
  }

  private async startProcess(
    job: ProcessJob,
    entrypoint: string,
    pullDir: string | null,
    deploymentPath: string | null,
    spare: FlowProcess | null,
  ): Promise<void> {
    const run = this.claim.flow_run;
    const perRun = runEnv(this.claim, job);
    const custom = job.command;
    const engine = engineCommand();
    const { command, args } = custom ? { command: custom, args: [] } : engine;
    const env = { ...workerEnv(process.env, this.ctx.apiUrl, this.ctx.workerName), ...engine.env, ...perRun };
    const assignment: RunAssignment = {
      flowRunId: run.id,
      flowRunName: run.name,
      flowName: run.flow_name,
      deploymentId: this.claim.deployment?.id ?? null,
      deploymentName: this.claim.deployment?.name ?? null,
      entrypoint,
      parameters: run.parameters,
      workingDir: { jobVariable: job.workingDir, pullSteps: pullDir, deploymentPath },
      env: perRun,
      scheduledTime: scheduledTimeOf(run),
      attempt: run.run_count + 1,
    };
    const handlers = {
      onStdoutLine: (line: string) => this.onStdout(line),
      onStderrLine: (line: string) => this.onOutput(LOG_LEVELS.warning, line, 'baton.flow_runs.stderr'),
      onMessage: (message: EngineMessage) => this.onMessage(message, assignment),
    };
    let proc: FlowProcess;
    if (spare) {
      proc = spare;
      // Set before attaching: attaching replays the spare's `ready`, which answers through it.
      this.process = proc;
      proc.attach(handlers);
    } else {
      proc = new FlowProcess({ command, args, env, cwd: job.workingDir ?? pullDir ?? process.cwd(), shell: custom !== null, ...handlers });
      this.process = proc;
    }
    if (proc.pid !== undefined) {
      this.say(LOG_LEVELS.info, `${spare ? 'Handed the run to process' : 'Started process'} ${proc.pid}${spare ? ' (started ahead)' : ''}${custom ? ` (${custom})` : ''}.`);
      void untilDelivered(() => this.ctx.api.flowRuns.update(this.id, { infrastructure_pid: String(proc.pid) })).catch(() => {});
    }
    if (this.stop) void proc.kill(this.ctx.cancelGraceMs);
    const exit = await proc.exited;
    await Promise.allSettled(this.relays);
    await this.finish(exit);
  }

  private onStdout(line: string): void {
    const frame = parseFrame(line);
    if (frame) {
      this.log(frame.level, frame.message, frame.name, frame.timestamp);
      if (this.job?.streamOutput) this.ctx.print(`${this.name} | ${levelName(frame.level).padEnd(7)} | ${frame.message}`);
    } else {
      this.onOutput(LOG_LEVELS.info, line, 'baton.flow_runs.stdout');
    }
  }

  private onOutput(level: number, line: string, name: string): void {
    this.log(level, line, name);
    if (this.job?.streamOutput) this.ctx.print(`${this.name} | ${line}`);
  }

  private onMessage(message: EngineMessage, assignment: RunAssignment): void {
    this.engineSpoke = true;
    switch (message.type) {
      case 'ready':
        this.process?.send({ type: 'start', run: assignment });
        return;
      case 'loaded': {
        const { retries, retryDelaySeconds, timeoutSeconds } = message.flow;
        this.timeoutSeconds = timeoutSeconds;
        const policy = { ...this.claim.flow_run.empirical_policy, retries, retry_delay: retryDelaySeconds };
        this.relays.push(untilDelivered(() => this.ctx.api.flowRuns.update(this.id, { empirical_policy: policy })).catch(() => {}));
        return;
      }
      case 'set_state':
        this.relays.push(this.relay(message));
        return;
    }
  }

  /** Relays an engine's proposal: its output first, then the state, then the answer back. */
  private async relay(message: Extract<EngineMessage, { type: 'set_state' }>): Promise<void> {
    const proc = this.process;
    try {
      await proc?.waitForOutput(message.stdoutBytes, message.stderrBytes);
      if (isTerminal(message.state.type)) await this.ctx.logs.flush();
      const result = await this.propose(toStateCreate(message.state), { retryType: 'in_process' });
      if (result.status === 'ACCEPT' && result.state) {
        if (result.state.type === 'RUNNING') this.startTimeout();
        if (isTerminal(result.state.type)) this.finalState = result.state.type;
      }
      if (result.state && isTerminal(result.state.type as StateType)) this.finalState = result.state.type as StateType;
      proc?.send({ type: 'state_result', requestId: message.requestId, result: result as unknown as EngineResult });
    } catch (err) {
      proc?.send({ type: 'state_result', requestId: message.requestId, result: null, error: (err as Error).message });
      if (err instanceof ConflictError || err instanceof NotFoundError) this.lose(err.message);
    }
  }

  private startTimeout(): void {
    this.clearTimeout();
    const seconds = this.timeoutSeconds;
    if (!seconds || seconds <= 0) return;
    this.timeoutTimer = setTimeout(() => {
      if (this.stop) return;
      this.stop = { kind: 'timeout', seconds };
      this.say(LOG_LEVELS.error, `Flow run exceeded its timeout of ${seconds}s: stopping its process.`);
      void this.process?.kill(this.ctx.cancelGraceMs);
    }, seconds * 1000);
  }

  private clearTimeout(): void {
    if (this.timeoutTimer) clearTimeout(this.timeoutTimer);
    this.timeoutTimer = null;
  }

  /** The server asked for cancellation: stop the whole process tree, then report CANCELLED. */
  cancel(): void {
    if (this.stop) return;
    this.stop = { kind: 'cancel' };
    this.say(LOG_LEVELS.info, 'Cancellation requested: stopping the flow run process.');
    void this.process?.kill(this.ctx.cancelGraceMs);
  }

  /** The worker is shutting down for good: stop the process; the run is reported crashed. */
  shutdown(): void {
    if (this.stop) return;
    this.stop = { kind: 'shutdown' };
    this.say(LOG_LEVELS.warning, 'The worker is stopping: killing the flow run process.');
    void this.process?.kill(this.ctx.cancelGraceMs);
  }

  /** The server no longer recognises this worker's claim: stop, and report nothing more. */
  private lose(reason: string): void {
    if (this.stop) return;
    this.stop = { kind: 'lost', reason };
    this.ctx.print(`${this.name} | WARNING | ${reason} Stopping its process.`);
    void this.process?.kill(this.ctx.cancelGraceMs);
  }

  private async finish(exit: ProcessExit): Promise<void> {
    this.clearTimeout();
    this.process?.sweep();
    const how = describeExit(exit);
    this.say(exit.code === 0 && !exit.signal ? LOG_LEVELS.info : LOG_LEVELS.warning, `${how}${exit.forced ? ' It ignored SIGTERM and was killed with SIGKILL.' : ''}`);
    if (this.stop?.kind === 'lost') return;
    await this.ctx.logs.flush();
    if (this.stop?.kind === 'cancel') {
      await this.report({ type: 'CANCELLED', message: 'The flow run was cancelled; its processes were stopped.' }, true);
      return;
    }
    if (this.finalState) return;
    if (this.stop?.kind === 'timeout') {
      await this.report({ type: 'FAILED', message: `Flow run exceeded its timeout of ${this.stop.seconds}s and was stopped.` });
      return;
    }
    if (this.job?.command && !this.engineSpoke && exit.code === 0) {
      await this.report({ type: 'COMPLETED', message: `The command exited with code 0.` });
      return;
    }
    const tail = exit.stderrTail.length > 0 ? ` Last lines of stderr:\n${exit.stderrTail.join('\n')}` : '';
    const why = this.stop?.kind === 'shutdown' ? 'The worker was stopped and killed the flow run process. ' : '';
    await this.report({ type: 'CRASHED', message: `${why}${how}${tail}` });
  }

  /** Proposes a state for the run with this worker's claim, retrying while the server is away. */
  private propose(state: StateCreateInput, options: { force?: boolean; retryType?: 'in_process' | 'reschedule' } = {}): Promise<OrchestrationResult> {
    return untilDelivered(() => this.ctx.api.flowRuns.setState(this.id, state, { claimToken: this.token, ...options }), {
      onWait: () => this.ctx.print(`${this.name} | WARNING | The server is unreachable; will report state ${state.type} when it is back.`),
    });
  }

  /** Reports a state the worker decided (after the process is gone): logs first. */
  private async report(state: StateCreateInput, force = false): Promise<void> {
    await this.ctx.logs.flush();
    try {
      const result = await this.propose(state, { force, retryType: 'reschedule' });
      const shown = result.state ? `${result.state.name}` : result.status;
      this.ctx.print(`${this.name} | INFO    | Flow run ended: ${shown}${state.message ? ` (${state.message.split('\n')[0]})` : ''}`);
    } catch (err) {
      this.ctx.print(`${this.name} | WARNING | Could not report state ${state.type}: ${(err as Error).message}`);
    }
  }
}

function toStateCreate(state: ProposedState): StateCreateInput {
  return {
    type: state.type,
    ...(state.name ? { name: state.name } : {}),
    ...(state.message ? { message: state.message } : {}),
    ...(state.data !== undefined ? { data: state.data } : {}),
    ...(state.state_details ? { state_details: state.state_details } : {}),
  };
}

/**
 * When the flow may start. A claimed run is PENDING, which clears next_scheduled_start_time; the
 * pending state keeps the slot (Prefect's CopyScheduledTime). Without it the engine would propose
 * Running early and be answered WAIT in whole seconds, starting up to a second late.
 */
function scheduledTimeOf(run: ClaimedRun['flow_run']): number | null {
  const fromState = run.state?.state_details.scheduled_time;
  const text = typeof fromState === 'string' ? fromState : run.next_scheduled_start_time;
  return text ? Date.parse(text) : null;
}
