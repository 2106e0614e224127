/**
 * Runs `work` so that an error nobody catches (a rejected promise the flow forgot to await, a
 * throw in a timer) fails the attempt, with its stack in the log and retries applying, instead of
 * killing the process and leaving the worker to report a crash with no explanation.
 */
export async function failOnStrayErrors<T>(work: Promise<T>): Promise<T> {
  let onStray: (error: unknown) => void = () => {};
  const stray = new Promise<never>((_resolve, reject) => {
    onStray = reject;
  });
  process.on('uncaughtException', onStray);
  process.on('unhandledRejection', onStray);
  try {
    return await Promise.race([work, stray]);
  } finally {
    process.off('uncaughtException', onStray);
    process.off('unhandledRejection', onStray);
  }
}
