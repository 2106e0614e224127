import { inspect } from 'node:util';

/**
 * The run cannot start: a bad working directory, a missing file or export, invalid parameters.
 * `message` is the one line the Failed state carries; `detail` is what the run's log gets (the
 * stack of an import error, for instance).
 */
export class RunSetupError extends Error {
  override readonly name = 'RunSetupError';
  constructor(
    message: string,
    readonly detail: string = message,
  ) {
    super(message);
  }
}

/** `TypeError: x is not a function`: the first line of an error, for a state message. */
export function oneLine(error: unknown): string {
  try {
    if (isErrorLike(error)) {
      const head = error.message ? `${error.name}: ${error.message}` : error.name;
      return clip(head.split('\n')[0] ?? head);
    }
    return clip((typeof error === 'string' ? error : inspect(error, { breakLength: Infinity })).split('\n')[0] ?? '');
  } catch {
    return 'An error baton could not describe';
  }
}

/** The full story of an error for the log: stack, cause and extra properties. */
export function describeError(error: unknown): string {
  try {
    return typeof error === 'string' ? error : inspect(error, { depth: 4 });
  } catch {
    return oneLine(error);
  }
}

/** Errors from another realm (a vm context, a worker) fail `instanceof Error` but read the same. */
function isErrorLike(value: unknown): value is { name: string; message: string } {
  return typeof value === 'object' && value !== null && typeof (value as Error).name === 'string' && typeof (value as Error).message === 'string';
}

function clip(text: string): string {
  return text.length <= 1000 ? text : `${text.slice(0, 1000)}…`;
}
