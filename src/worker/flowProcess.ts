import { execa } from 'execa';
import type { EngineMessage, WorkerMessage } from '../engine/protocol.js';
import { LineSplitter } from './lines.js';

/** Why a flow-run process ended, classified once so every caller reads the same facts. */
export interface ProcessExit {
  code: number | null;
  signal: string | null;
  /** The worker killed it (cancel, timeout, shutdown). */
  killed: boolean;
  /** It ignored SIGTERM and needed SIGKILL. */
  forced: boolean;
  /** The last lines it wrote to stderr. */
  stderrTail: string[];
}

export interface ProcessHandlers {
  onStdoutLine: (line: string) => void;
  onStderrLine: (line: string) => void;
  onMessage: (message: EngineMessage) => void;
}

export interface SpawnOptions extends Partial<ProcessHandlers> {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** Run `command` through the shell (a job template's custom command). */
  shell?: boolean;
}

const STDERR_TAIL_LINES = 10;
/** How long to wait for the pipes to drain after the process exits (grandchildren may hold them open). */
const DRAIN_AFTER_EXIT_MS = 2_000;

function spawn(options: SpawnOptions) {
  return execa(options.command, options.args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    shell: options.shell ?? false,
    // Its own process group, so one signal reaches every process the flow starts.
    detached: true,
    ipc: true,
    serialization: 'json',
    buffer: false,
    stdin: 'ignore',
    reject: false,
    cleanup: false,
  });
}

/**
 * One flow-run process: started in its own process group (so a kill reaches every descendant),
 * with an IPC channel to the engine, its output split into lines, and its end classified. The
 * only place baton starts flow processes.
 */
export class FlowProcess {
  readonly pid: number | undefined;
  private readonly subprocess: ReturnType<typeof spawn>;
  private stdoutBytes = 0;
  private stderrBytes = 0;
  private byteWaiters: { stdout: number; stderr: number; resolve: () => void }[] = [];
  private readonly stderrTail: string[] = [];
  private killing: Promise<void> | null = null;
  private forced = false;
  private exitInfo: ProcessExit | null = null;
  readonly exited: Promise<ProcessExit>;
  /** Until a run is attached (a spare engine started ahead), its output and messages wait here. */
  private handlers: ProcessHandlers | null = null;
  private held: { kind: 'out' | 'err' | 'msg'; value: unknown }[] = [];

  constructor(options: SpawnOptions) {
    if (options.onStdoutLine && options.onStderrLine && options.onMessage) {
      this.handlers = { onStdoutLine: options.onStdoutLine, onStderrLine: options.onStderrLine, onMessage: options.onMessage };
    }
    const subprocess = spawn(options);
    this.subprocess = subprocess;
    this.pid = subprocess.pid;
    const stdout = new LineSplitter((line) => this.deliver('out', line));
    const stderr = new LineSplitter((line) => {
      this.stderrTail.push(line);
      if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail.shift();
      this.deliver('err', line);
    });
    const stdoutEnded = new Promise<void>((resolve) => {
      this.subprocess.stdout?.on('data', (chunk: Buffer) => {
        this.stdoutBytes += chunk.length;
        stdout.push(chunk);
        this.checkBytes();
      });
      this.subprocess.stdout?.on('end', () => resolve());
      this.subprocess.stdout?.on('error', () => resolve());
    });
    const stderrEnded = new Promise<void>((resolve) => {
      this.subprocess.stderr?.on('data', (chunk: Buffer) => {
        this.stderrBytes += chunk.length;
        stderr.push(chunk);
        this.checkBytes();
      });
      this.subprocess.stderr?.on('end', () => resolve());
      this.subprocess.stderr?.on('error', () => resolve());
    });
    this.subprocess.on('message', (message: unknown) => this.deliver('msg', message));
    this.exited = (async () => {
      const result = await subprocess;
      // Output written just before exit is still in the pipes: drain it (bounded, because a
      // grandchild that inherited the pipes can keep them open).
      await Promise.race([Promise.all([stdoutEnded, stderrEnded]), new Promise((r) => setTimeout(r, DRAIN_AFTER_EXIT_MS))]);
      stdout.end();
      stderr.end();
      this.releaseByteWaiters();
      this.exitInfo = {
        code: result.exitCode ?? null,
        signal: result.signal ?? null,
        killed: this.killing !== null,
        forced: this.forced,
        stderrTail: [...this.stderrTail],
      };
      return this.exitInfo;
    })();
  }

  private deliver(kind: 'out' | 'err' | 'msg', value: unknown): void {
    const h = this.handlers;
    if (!h) {
      this.held.push({ kind, value });
      return;
    }
    if (kind === 'out') h.onStdoutLine(value as string);
    else if (kind === 'err') h.onStderrLine(value as string);
    else h.onMessage(value as EngineMessage);
  }

  /** Hands the process to a run: what it wrote or sent while waiting is delivered first, in order. */
  attach(handlers: ProcessHandlers): void {
    this.handlers = handlers;
    const held = this.held;
    this.held = [];
    for (const { kind, value } of held) this.deliver(kind, value);
  }

  /** Whether the process has exited (a spare that died while waiting is not handed out). */
  get hasExited(): boolean {
    return this.subprocess.exitCode !== null || this.subprocess.signalCode !== null;
  }

  /** Sends a message to the engine; false if the channel is gone. */
  send(message: WorkerMessage): boolean {
    if (!this.subprocess.connected) return false;
    try {
      return this.subprocess.send(message);
    } catch {
      return false;
    }
  }

  /** Resolves once at least this much output has been read (or the process is gone, or `timeoutMs` passed). */
  waitForOutput(stdout: number, stderr: number, timeoutMs = 2_000): Promise<void> {
    if ((this.stdoutBytes >= stdout && this.stderrBytes >= stderr) || this.exitInfo) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = { stdout, stderr, resolve };
      this.byteWaiters.push(waiter);
      setTimeout(() => {
        this.byteWaiters = this.byteWaiters.filter((w) => w !== waiter);
        resolve();
      }, timeoutMs).unref();
    });
  }

  private checkBytes(): void {
    this.byteWaiters = this.byteWaiters.filter((w) => {
      if (this.stdoutBytes < w.stdout || this.stderrBytes < w.stderr) return true;
      w.resolve();
      return false;
    });
  }

  private releaseByteWaiters(): void {
    for (const w of this.byteWaiters) w.resolve();
    this.byteWaiters = [];
  }

  /**
   * Stops the whole process group: SIGTERM, then SIGKILL after `graceMs` if anything of it is
   * still alive. Resolves when the process has exited.
   */
  kill(graceMs: number): Promise<void> {
    this.killing ??= (async () => {
      if (this.signalGroup('SIGTERM')) {
        const exited = await Promise.race([this.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), graceMs))]);
        // Descendants may outlive the leader: sweep the group either way.
        if (this.groupAlive()) {
          if (!exited) this.forced = true;
          this.signalGroup('SIGKILL');
        }
      }
      await this.exited;
      if (this.groupAlive()) this.signalGroup('SIGKILL');
    })();
    return this.killing;
  }

  /** Kills the group at once (a grandchild left behind after the leader exited, or a final sweep). */
  sweep(): void {
    if (this.groupAlive()) this.signalGroup('SIGKILL');
  }

  private signalGroup(signal: NodeJS.Signals): boolean {
    if (this.pid === undefined) return false;
    try {
      process.kill(-this.pid, signal);
      return true;
    } catch {
      return false;
    }
  }

  private groupAlive(): boolean {
    if (this.pid === undefined) return false;
    try {
      process.kill(-this.pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

/** A one-line description of how the process ended, with the hints Prefect gives for common codes. */
export function describeExit(exit: ProcessExit): string {
  if (exit.signal) {
    const hint = exit.signal === 'SIGKILL' ? ' (killed: out of memory, or by another process)' : exit.signal === 'SIGTERM' ? ' (terminated)' : '';
    return `Flow run process was killed by ${exit.signal}${hint}.`;
  }
  const hints: Record<number, string> = {
    1: 'a general error',
    126: 'the command could not be executed',
    127: 'the command was not found',
    137: 'killed, often for running out of memory',
    143: 'terminated',
  };
  const hint = exit.code !== null && hints[exit.code] ? ` (${hints[exit.code]})` : '';
  return `Flow run process exited with code ${exit.code ?? 'unknown'}${hint}.`;
}
