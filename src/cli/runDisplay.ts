import type { Log } from '../domain/schemas/logs.js';
import type { State } from '../domain/schemas/states.js';
import { color } from './output.js';
import { formatLocalTime } from './timeParse.js';

const LEVELS: Record<number, string> = { 10: 'DEBUG', 20: 'INFO', 30: 'WARNING', 40: 'ERROR', 50: 'CRITICAL' };

/** Python's logging names, as Prefect prints them ("Level 25" for a level without one). */
export function levelName(level: number): string {
  return LEVELS[level] ?? `Level ${level}`;
}

/** `2026-08-01 17:30:00.123 | INFO    | message`, in local time. */
export function formatLogLine(log: Pick<Log, 'timestamp' | 'level' | 'message'>): string {
  return `${formatLocalTime(Date.parse(log.timestamp), true)} | ${levelName(log.level).padEnd(7)} | ${log.message}`;
}

/** `2026-08-01 17:30:00.123 | state Failed: why`, in local time. */
export function formatStateLine(state: Pick<State, 'timestamp' | 'name' | 'type' | 'message'>): string {
  const why = state.message ? `: ${state.message}` : '';
  return `${formatLocalTime(Date.parse(state.timestamp), true)} | state ${colorState(state.type, state.name)}${why}`;
}

/** Text coloured by what a state type means: done, failed, running, waiting. */
export function colorState(type: string | null | undefined, text: string): string {
  switch (type) {
    case 'COMPLETED':
      return color.green(text);
    case 'FAILED':
    case 'CRASHED':
      return color.red(text);
    case 'RUNNING':
      return color.blue(text);
    case 'SCHEDULED':
    case 'PENDING':
    case 'PAUSED':
      return color.yellow(text);
    default:
      return color.dim(text);
  }
}
