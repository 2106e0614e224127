/**
 * Counts the bytes this process writes to stdout and stderr. Every message to the worker carries
 * the totals, and the worker reads the pipes up to them before acting on the message, so output
 * written before a state change is stored before it (DESIGN.md: all logs before the final state).
 */
export interface OutputCounter {
  stdoutBytes(): number;
  stderrBytes(): number;
  /** True when the last byte written to stdout ended a line (a log frame must start one). */
  stdoutAtLineStart(): boolean;
}

type Write = typeof process.stdout.write;

export function countOutput(stdout: NodeJS.WriteStream = process.stdout, stderr: NodeJS.WriteStream = process.stderr): OutputCounter {
  const out = wrap(stdout);
  const err = wrap(stderr);
  return { stdoutBytes: () => out.bytes, stderrBytes: () => err.bytes, stdoutAtLineStart: () => out.atLineStart };
}

function wrap(stream: NodeJS.WriteStream): { bytes: number; atLineStart: boolean } {
  const state = { bytes: 0, atLineStart: true };
  const original = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  const counted = (chunk: unknown, ...rest: unknown[]): boolean => {
    const size = byteSize(chunk, rest[0]);
    if (size > 0) {
      state.bytes += size;
      state.atLineStart = endsWithNewline(chunk);
    }
    return original(chunk, ...rest);
  };
  stream.write = counted as Write;
  return state;
}

function byteSize(chunk: unknown, encoding: unknown): number {
  if (typeof chunk === 'string') return Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  if (chunk instanceof Uint8Array) return chunk.byteLength;
  return 0;
}

function endsWithNewline(chunk: unknown): boolean {
  if (typeof chunk === 'string') return chunk.endsWith('\n');
  return chunk instanceof Uint8Array && chunk[chunk.byteLength - 1] === 0x0a;
}
