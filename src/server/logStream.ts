/**
 * A pino destination that writes readable lines (`12:00:00.123 | WARN | message`) instead of JSON,
 * synchronously and without pino's worker-thread transports.
 */
const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

export function readableLogStream(out: NodeJS.WritableStream = process.stderr): { write(line: string): void } {
  return {
    write(line: string): void {
      try {
        const { level, time, msg, err, ...rest } = JSON.parse(line) as {
          level: number;
          time: number;
          msg?: string;
          err?: { stack?: string; message?: string };
          [k: string]: unknown;
        };
        if (!msg && !err) return;
        const stamp = new Date(time).toISOString().slice(11, 23);
        const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
        const error = err ? `\n${err.stack ?? err.message ?? ''}` : '';
        out.write(`${stamp} | ${(LEVELS[level] ?? String(level)).padEnd(5)} | ${msg ?? ''}${extra}${error}\n`);
      } catch {
        out.write(line);
      }
    },
  };
}
