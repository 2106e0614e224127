import { LOG_FRAME, LOG_LEVELS, type LogFrame } from '../engine/protocol.js';

/** Longest line stored; longer output is cut with a note (the API caps a message at 1 MB). */
export const MAX_LINE_CHARS = 100_000;

/** Splits a byte stream into lines, keeping a partial last line until more arrives or the stream ends. */
export class LineSplitter {
  private partial = '';
  private readonly decoder = new TextDecoder('utf-8');

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer): void {
    const text = this.partial + this.decoder.decode(chunk, { stream: true });
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.emit(line);
    if (this.partial.length > MAX_LINE_CHARS) {
      this.emit(this.partial);
      this.partial = '';
    }
  }

  end(): void {
    const rest = this.partial + this.decoder.decode();
    this.partial = '';
    if (rest !== '') this.emit(rest);
  }

  private emit(line: string): void {
    const clean = line.endsWith('\r') ? line.slice(0, -1) : line;
    this.onLine(clean.length > MAX_LINE_CHARS ? `${clean.slice(0, MAX_LINE_CHARS)} … [${clean.length - MAX_LINE_CHARS} characters cut]` : clean);
  }
}

/** A structured record from the run logger, or null for a plain line of output. */
export function parseFrame(line: string): LogFrame | null {
  if (!line.startsWith(LOG_FRAME)) return null;
  try {
    const frame = JSON.parse(line.slice(LOG_FRAME.length)) as Partial<LogFrame>;
    if (typeof frame.message !== 'string' || typeof frame.level !== 'number') return null;
    return {
      level: frame.level,
      timestamp: typeof frame.timestamp === 'number' ? frame.timestamp : Date.now(),
      name: typeof frame.name === 'string' ? frame.name : 'baton.flow_runs',
      message: frame.message,
    };
  } catch {
    return null;
  }
}

export function levelName(level: number): string {
  if (level >= LOG_LEVELS.critical) return 'CRITICAL';
  if (level >= LOG_LEVELS.error) return 'ERROR';
  if (level >= LOG_LEVELS.warning) return 'WARNING';
  if (level >= LOG_LEVELS.info) return 'INFO';
  return 'DEBUG';
}
