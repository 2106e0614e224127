import { LEVELS } from '../sdk/logger.js';
import { installRuntime, type LogRecord } from '../sdk/runtime.js';
import type { OutputCounter } from './outputCounter.js';
import { LOG_FRAME, LOG_LEVELS, type LogFrame } from './protocol.js';

// The SDK and the protocol must agree on level numbers; this fails to compile if they drift.
const _sameLevels: typeof LOG_LEVELS = LEVELS;
void _sameLevels;

/** One run-logger record as the stdout line the worker recognises (JSON keeps it on one line). */
export function frameLine(record: LogRecord): string {
  const frame: LogFrame = { level: record.level, timestamp: record.timestamp, name: record.name, message: record.message };
  return `${LOG_FRAME}${JSON.stringify(frame)}\n`;
}

/**
 * Routes every run logger in this process (the engine's and any copy of baton the flow imported)
 * to framed stdout lines, in the same stream as the flow's own console output so their order is
 * exact. A frame must start a line, so one is begun when the flow left a line unfinished.
 */
export function installFramedLogs(output: OutputCounter, stdout: NodeJS.WriteStream = process.stdout): void {
  installRuntime({
    version: 1,
    log(record) {
      stdout.write((output.stdoutAtLineStart() ? '' : '\n') + frameLine(record));
    },
  });
}
