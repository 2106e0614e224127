/**
 * The hook through which a flow-run process (the engine) takes over the run logger.
 *
 * It lives on `globalThis` under a registered symbol, not in a module variable, because the flow a
 * user imports may come from a different copy of baton than the engine's (their project's own
 * `node_modules/baton`): both copies see the same global, so logs written through either copy
 * reach the worker framed. Keep this shape stable and additive; other copies depend on it.
 */
export const RUNTIME_KEY: unique symbol = Symbol.for('baton.runtime');

export interface LogRecord {
  /** Python logging level (10 debug … 50 critical), as Prefect stores it. */
  level: number;
  /** Milliseconds since the epoch. */
  timestamp: number;
  /** Logger name, e.g. `baton.flow_runs`. */
  name: string;
  message: string;
}

export interface BatonRuntime {
  readonly version: 1;
  /** Writes one run-logger record where the worker will find it. */
  log(record: LogRecord): void;
}

type RuntimeHolder = { [RUNTIME_KEY]?: BatonRuntime };

/** The runtime the engine installed, or undefined in a plain process (direct calls, tests). */
export function currentRuntime(): BatonRuntime | undefined {
  const runtime = (globalThis as RuntimeHolder)[RUNTIME_KEY];
  return runtime && runtime.version === 1 && typeof runtime.log === 'function' ? runtime : undefined;
}

export function installRuntime(runtime: BatonRuntime): void {
  (globalThis as RuntimeHolder)[RUNTIME_KEY] = runtime;
}
