/**
 * The channel between a worker and the flow-run subprocess it owns (Node's IPC channel of the
 * child process). The engine never talks to the API itself: the worker proxies every state
 * proposal and ships every log line, so it alone decides the order in which a run's logs and
 * states reach the server (all logs before the final state), and it can report a crash when the
 * process dies without a final state.
 *
 * Log lines do not travel here: the engine writes them to stdout, framed (see LOG_FRAME), in the
 * same stream as the flow's own console output, so their relative order is exact.
 */

/** Python logging levels, as Prefect's `level` field uses them. */
export const LOG_LEVELS = { debug: 10, info: 20, warning: 30, error: 40, critical: 50 } as const;

/**
 * A stdout line that starts with this character is a structured log record written by the run
 * logger: `\u001e{"level":20,"timestamp":1767225600000,"name":"baton.flow_runs","message":"…"}`.
 * Every other line of stdout is stored at INFO, every line of stderr at WARNING.
 */
export const LOG_FRAME = '\u001e';

export interface LogFrame {
  level: number;
  /** Milliseconds since the epoch, when the line was logged. */
  timestamp: number;
  name: string;
  message: string;
}

/** A state the engine proposes, in the shape of the API's StateCreate. */
export interface ProposedState {
  type: 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CRASHED' | 'CANCELLED';
  name?: string;
  message?: string;
  data?: unknown;
  state_details?: Record<string, unknown>;
}

/** The server's answer to a proposal, as `POST /flow_runs/{id}/set_state` returns it. */
export interface OrchestrationResult {
  status: 'ACCEPT' | 'REJECT' | 'ABORT' | 'WAIT';
  state: {
    id: string;
    type: string;
    name: string;
    timestamp: string;
    message: string | null;
    state_details: Record<string, unknown> & { scheduled_time?: string | null };
  } | null;
  details: { type: string; reason?: string; delay_seconds?: number };
}

/** Everything the engine needs to run one flow run; sent once, in the `start` message. */
export interface RunAssignment {
  flowRunId: string;
  flowRunName: string;
  flowName: string;
  deploymentId: string | null;
  deploymentName: string | null;
  /** `path/to/file.ts:exportName`, relative to the working directory (or absolute). */
  entrypoint: string;
  /** Raw parameters as stored on the run; the engine parses them with the flow's zod schema. */
  parameters: Record<string, unknown>;
  /** Working directory candidates, in order of precedence (see resolveWorkingDirectory). */
  workingDir: {
    /** The run's `job_variables.working_dir` (after the deployment's and pool's). */
    jobVariable: string | null;
    /** The directory the pull steps ended in (`set_working_directory`, `git_clone`). */
    pullSteps: string | null;
    /** The deployment's `path`. */
    deploymentPath: string | null;
  };
  /** Environment to apply before importing the flow (the job template's env). */
  env: Record<string, string>;
  /** When the flow may start (ms since epoch); the engine waits for it before proposing RUNNING. */
  scheduledTime: number | null;
  /** 1 for the first attempt; retries count up. */
  attempt: number;
}

/** Worker → engine. */
export type WorkerMessage =
  | { type: 'start'; run: RunAssignment }
  | { type: 'state_result'; requestId: number; result: OrchestrationResult | null; error?: string };

/**
 * Engine → worker. Every message carries the number of bytes the engine has written to stdout
 * and stderr so far: before acting on it, the worker waits until it has read that much, so log
 * lines written before a state change are stored before it.
 */
export type EngineMessage = (
  | { type: 'ready' }
  | {
      type: 'loaded';
      flow: { name: string; version: string | null; retries: number; retryDelaySeconds: number; timeoutSeconds: number | null };
    }
  | { type: 'set_state'; requestId: number; state: ProposedState }
) & { stdoutBytes: number; stderrBytes: number };

/** Environment variables the worker sets for every flow-run process. */
export const ENGINE_ENV = {
  apiUrl: 'BATON_API_URL',
  flowRunId: 'BATON_FLOW_RUN_ID',
} as const;
