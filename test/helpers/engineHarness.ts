import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { engineCommand } from '../../src/engine/command.js';
import {
  LOG_FRAME,
  type EngineMessage,
  type LogFrame,
  type OrchestrationResult,
  type ProposedState,
  type RunAssignment,
} from '../../src/engine/protocol.js';

/**
 * Plays the worker's part for one real engine process (engineCommand(), so dist/ must be built):
 * spawns it with an IPC channel in its own process group, answers its state proposals with a
 * scripted responder, waits for the announced stdout bytes before answering (as the worker
 * does), and collects stdout as frames and plain lines.
 */

export const FLOW_FIXTURES = fileURLToPath(new URL('../fixtures/flows/', import.meta.url));

export type OutputItem = { kind: 'frame'; frame: LogFrame } | { kind: 'line'; text: string };
/** The server's answer to the index-th proposal, or `{ error }` for a worker that could not deliver it. */
export type Responder = (state: ProposedState, index: number) => OrchestrationResult | { error: string };

/** A run assignment for a fixture flow; override what the test is about. */
export function runAssignment(overrides: Partial<RunAssignment> = {}): RunAssignment {
  return {
    flowRunId: randomUUID(),
    flowRunName: 'test-run',
    flowName: 'test-flow',
    deploymentId: null,
    deploymentName: null,
    entrypoint: 'ok.ts:ok',
    parameters: {},
    workingDir: { jobVariable: FLOW_FIXTURES, pullSteps: null, deploymentPath: null },
    env: {},
    scheduledTime: null,
    attempt: 1,
    ...overrides,
  };
}

/** Server answers, shaped like `POST /flow_runs/{id}/set_state` responses. */
export const answers = {
  accept(state: ProposedState): OrchestrationResult {
    return { status: 'ACCEPT', state: stateOf(state.type, state.name ?? titleCase(state.type), state.message ?? null), details: { type: 'accept_details' } };
  },
  wait(delaySeconds: number): OrchestrationResult {
    return { status: 'WAIT', state: null, details: { type: 'wait_details', delay_seconds: delaySeconds, reason: 'Scheduled time is in the future.' } };
  },
  abort(reason: string): OrchestrationResult {
    return { status: 'ABORT', state: null, details: { type: 'abort_details', reason } };
  },
  reject(reason: string, current: { type: string; name: string }): OrchestrationResult {
    return { status: 'REJECT', state: stateOf(current.type, current.name, null), details: { type: 'reject_details', reason } };
  },
  awaitingRetry(delaySeconds: number): OrchestrationResult {
    const state = stateOf('SCHEDULED', 'AwaitingRetry', null, { scheduled_time: new Date(Date.now() + delaySeconds * 1000).toISOString() });
    return { status: 'REJECT', state, details: { type: 'reject_details', reason: 'Retries remain.' } };
  },
};

/** Accepts every proposal, like a server with nothing to object to. */
export const acceptAll: Responder = (state) => answers.accept(state);

function stateOf(type: string, name: string, message: string | null, details: Record<string, unknown> = {}) {
  return { id: randomUUID(), type, name, timestamp: new Date().toISOString(), message, state_details: details };
}

function titleCase(type: string): string {
  return type.charAt(0) + type.slice(1).toLowerCase();
}

export interface ReceivedMessage {
  message: EngineMessage;
  /** Stdout bytes the harness had read when it acted on the message (after waiting for them). */
  stdoutBytesRead: number;
  at: number;
}

export interface EngineProcess {
  child: ChildProcess;
  messages: ReceivedMessage[];
  /** The states the engine proposed, in order. */
  proposals(): ProposedState[];
  /** Resolves with the `ready` message. */
  ready(): Promise<ReceivedMessage>;
  start(run: RunAssignment): void;
  stdout(): string;
  stdoutBytes(): number;
  stderr(): string;
  output(): OutputItem[];
  frames(): LogFrame[];
  /** Resolves when the process has exited and its pipes are drained. */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Kills the whole process group (the engine and anything the flow spawned). */
  kill(signal?: NodeJS.Signals): void;
}

export function spawnEngine(options: { respond?: Responder; cwd?: string; env?: Record<string, string>; killAfterMs?: number } = {}): EngineProcess {
  const { command, args, env } = engineCommand();
  const child = spawn(command, args, {
    cwd: options.cwd ?? FLOW_FIXTURES,
    env: { ...process.env, ...env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true,
  });
  const respond = options.respond ?? acceptAll;
  const stdoutChunks: Buffer[] = [];
  let stdoutRead = 0;
  let stderr = '';
  const byteWaiters: { bytes: number; resolve: () => void }[] = [];
  const messages: ReceivedMessage[] = [];
  const proposals: ProposedState[] = [];
  let readyResolve: (m: ReceivedMessage) => void = () => {};
  let readyReject: (e: Error) => void = () => {};
  const readyPromise = new Promise<ReceivedMessage>((resolve, reject) => {
    readyResolve = resolve;
    readyReject = reject;
  });

  const proc: EngineProcess = {
    child,
    messages,
    proposals: () => [...proposals],
    ready: () => readyPromise,
    start(run) {
      child.send({ type: 'start', run });
    },
    stdout: () => Buffer.concat(stdoutChunks).toString('utf8'),
    stdoutBytes: () => stdoutRead,
    stderr: () => stderr,
    output: () => parseOutput(proc.stdout()),
    frames: () => proc.output().flatMap((o) => (o.kind === 'frame' ? [o.frame] : [])),
    exited: () => exitPromise,
    kill(signal = 'SIGKILL') {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    },
  };

  child.stdout?.on('data', (chunk: Buffer) => {
    stdoutChunks.push(chunk);
    stdoutRead += chunk.length;
    for (const w of byteWaiters.filter((w) => stdoutRead >= w.bytes)) {
      byteWaiters.splice(byteWaiters.indexOf(w), 1);
      w.resolve();
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));

  const waitForStdout = (bytes: number) =>
    stdoutRead >= bytes ? Promise.resolve() : new Promise<void>((resolve) => byteWaiters.push({ bytes, resolve }));

  let queue = Promise.resolve();
  child.on('message', (raw) => {
    const message = raw as EngineMessage;
    const at = Date.now();
    // One at a time, in order, as a worker would handle them.
    queue = queue.then(async () => {
      await waitForStdout(message.stdoutBytes);
      const received = { message, stdoutBytesRead: stdoutRead, at };
      messages.push(received);
      if (message.type === 'ready') readyResolve(received);
      if (message.type === 'set_state') {
        proposals.push(message.state);
        const answer = respond(message.state, proposals.length - 1);
        const reply = 'error' in answer ? { result: null, error: answer.error } : { result: answer };
        if (child.connected) child.send({ type: 'state_result', requestId: message.requestId, ...reply });
      }
    });
  });

  const killer = setTimeout(() => proc.kill('SIGKILL'), options.killAfterMs ?? 20_000);
  // Not the 'close' event: Node never emits it for a child whose IPC channel the parent closed.
  const drained = Promise.all([child.stdout, child.stderr].map((s) => new Promise((resolve) => s?.once('close', resolve))));
  const exitPromise = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      clearTimeout(killer);
      readyReject(new Error(`the engine exited (${code ?? signal}) before it was ready: ${stderr}`));
      void drained.then(() => resolve({ code, signal }));
    });
  });
  return proc;
}

/** Spawns an engine, starts `run` once it is ready, and waits for it to exit. */
export async function runEngine(run: RunAssignment, options: { respond?: Responder; cwd?: string; env?: Record<string, string> } = {}) {
  const engine = spawnEngine(options);
  await engine.ready();
  engine.start(run);
  const exit = await engine.exited();
  return { engine, ...exit };
}

export function parseOutput(stdout: string): OutputItem[] {
  const lines = stdout.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line) =>
    line.startsWith(LOG_FRAME) ? { kind: 'frame', frame: JSON.parse(line.slice(LOG_FRAME.length)) as LogFrame } : { kind: 'line', text: line },
  );
}
