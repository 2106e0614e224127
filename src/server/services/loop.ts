import type { FastifyBaseLogger } from 'fastify';

export interface ServiceLoop {
  stop(): Promise<void>;
}

/**
 * Runs `tick` every `everyMs` (after the previous tick ends, so ticks never overlap). A failing
 * tick is logged and the loop carries on.
 */
export function every(name: string, everyMs: number, tick: () => Promise<unknown>, log: FastifyBaseLogger): ServiceLoop {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  const run = (): void => {
    running = (async () => {
      try {
        await tick();
      } catch (err) {
        log.error({ err }, `${name} failed`);
      }
    })().finally(() => {
      running = null;
      if (!stopped) timer = setTimeout(run, everyMs);
    });
  };
  timer = setTimeout(run, everyMs);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
