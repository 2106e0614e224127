import { BadRequestError } from '../domain/errors.js';

/** Prompts are allowed only when both stdin and stdout are terminals, so CI never hangs. */
export function isInteractive(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY);
}

/**
 * Asks before a destructive action on a terminal; without a terminal the action proceeds
 * (scripts opt in by running the command), as in Prefect.
 */
export async function confirmAction(message: string, yes: boolean | undefined): Promise<boolean> {
  if (yes || !isInteractive()) return true;
  const { confirm } = await import('@inquirer/prompts');
  return confirm({ message, default: false });
}

/** Throws the one-line error for a value that is missing off a terminal. */
export function missing(flag: string, what: string): never {
  throw new BadRequestError(`Missing ${what}: pass ${flag} (prompts are only shown in an interactive terminal).`);
}
