import { inspect } from 'node:util';
import { currentRuntime } from './runtime.js';

/** Python logging levels, the numbers Prefect's `level` field stores. */
export const LEVELS = { debug: 10, info: 20, warning: 30, error: 40, critical: 50 } as const;
export type LevelName = keyof typeof LEVELS;

/** The run logger a flow receives as `context.log`. */
export interface RunLogger {
  debug(message: unknown): void;
  info(message: unknown): void;
  warning(message: unknown): void;
  /** Alias of `warning`, for people used to `console.warn`. */
  warn(message: unknown): void;
  error(message: unknown): void;
  critical(message: unknown): void;
}

export const RUN_LOGGER_NAME = 'baton.flow_runs';

/** Strings as they are, errors with their stack, anything else as `util.inspect` shows it. */
export function formatLogMessage(message: unknown): string {
  if (typeof message === 'string') return message;
  if (message instanceof Error) return message.stack ?? `${message.name}: ${message.message}`;
  try {
    return inspect(message, { depth: 4, breakLength: Infinity });
  } catch {
    return String(message);
  }
}

/**
 * A logger for one flow run. Inside a flow-run process every record goes through the engine's
 * runtime (framed on stdout, so the worker stores it with its level); elsewhere it is printed
 * the way Prefect prints to a console: `12:00:01.234 | INFO    | Flow run 'etl-1a2b' - message`.
 */
export function createRunLogger(flowRunName: string, name: string = RUN_LOGGER_NAME): RunLogger {
  const emit = (level: LevelName) => (message: unknown) => {
    const text = formatLogMessage(message);
    const runtime = currentRuntime();
    if (runtime) {
      runtime.log({ level: LEVELS[level], timestamp: Date.now(), name, message: text });
      return;
    }
    const line = `${clock(new Date())} | ${level.toUpperCase().padEnd(7)} | Flow run '${flowRunName}' - ${text}`;
    if (LEVELS[level] >= LEVELS.warning) console.error(line);
    else console.log(line);
  };
  const warning = emit('warning');
  return { debug: emit('debug'), info: emit('info'), warning, warn: warning, error: emit('error'), critical: emit('critical') };
}

function clock(d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}
