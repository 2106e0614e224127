import type { FlowContext } from './context.js';
import type { FlowDefinition } from './definition.js';
import { FlowTimeoutError } from './errors.js';

/** setTimeout fires at once past this many milliseconds, so longer timeouts are not armed at all. */
const MAX_TIMER_MS = 2_147_483_647;

export interface AttemptOptions {
  /**
   * Reject as soon as the timeout passes, even if the flow ignores its signal. Direct calls need
   * that; in a flow-run process the worker enforces the timeout by killing the process group, so
   * the engine only aborts the signal and lets a cooperative flow end the way it chooses.
   */
  enforceTimeout: boolean;
}

/** Runs the handler once, with a signal that aborts at the flow's timeout. */
export async function runAttempt(
  def: FlowDefinition,
  params: unknown,
  context: Omit<FlowContext, 'signal'>,
  options: AttemptOptions,
): Promise<unknown> {
  const controller = new AbortController();
  const handler = def.handler as (params: unknown, context: FlowContext) => unknown;
  const work = Promise.resolve().then(() => handler(params, { ...context, signal: controller.signal }));
  const ms = def.timeoutSeconds === null ? null : def.timeoutSeconds * 1000;
  if (ms === null || ms > MAX_TIMER_MS) return work;

  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new FlowTimeoutError(def.name, def.timeoutSeconds ?? 0);
      controller.abort(error);
      if (options.enforceTimeout) reject(error);
    }, ms);
  });
  try {
    return await (options.enforceTimeout ? Promise.race([work, timedOut]) : work);
  } finally {
    clearTimeout(timer);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.min(MAX_TIMER_MS, Math.max(0, ms))));
}
