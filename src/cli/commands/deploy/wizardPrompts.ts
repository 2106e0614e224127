import { BadRequestError } from '../../../domain/errors.js';

/** @inquirer/prompts, loaded only when the wizard runs (it is not small). */
export type Prompts = typeof import('@inquirer/prompts');

export function loadPrompts(): Promise<Prompts> {
  return import('@inquirer/prompts');
}

/** Ctrl-C (or a closed terminal) inside a prompt: stop with a plain message, nothing written. */
export function cancelled(err: unknown): BadRequestError | null {
  const name = (err as { name?: unknown } | null)?.name;
  if (name === 'ExitPromptError' || name === 'AbortPromptError' || name === 'CancelPromptError') {
    return new BadRequestError('Cancelled: nothing was deployed.');
  }
  return null;
}
