import type { FastifyBaseLogger } from 'fastify';

export interface ServiceLoop {
  stop(): Promise<void>;
}

/**
 * Runs `tick` every `everyMs` (after the previous tick ends, so ticks never overlap). `everyMs`
 * may be a function, asked after each tick, for loops that know when their next work is due. A
 * failing tick is logged and the loop carries on.
 */
export function every(name: string, everyMs: number | (() => Promise<number>), tick: () => Promise<unknown>, log: FastifyBaseLogger): ServiceLoop {
  const delay = typeof everyMs === 'number' ? () => Promise.resolve(everyMs) : everyMs;
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
    })()
      .then(() => delay().catch(() => 1_000))
      .then((ms) => {
        running = null;
        if (!stopped) timer = setTimeout(run, ms);
      });
  };
  timer = setTimeout(run, 0);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
