// A small ETL flow: retries on failure, a timeout, typed parameters with defaults, and a
// JSON-safe return value kept on the run's final state.
import { flow } from 'baton';
import { z } from 'zod';

export const etl = flow(
  {
    name: 'etl',
    description: 'Extracts, transforms and loads a day of (made-up) rows.',
    params: z.object({
      day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD').optional().describe('The day to process (default: today)'),
      rows: z.number().int().min(1).max(10_000).default(100).describe('How many rows to make'),
      failRate: z.number().min(0).max(1).default(0).describe('Chance that an attempt fails, to watch retries'),
    }),
    retries: 2,
    retryDelaySeconds: 1,
    timeoutSeconds: 60,
  },
  async ({ day, rows, failRate }, { log, attempt }) => {
    const date = day ?? new Date().toISOString().slice(0, 10);
    log.info(`attempt ${attempt}: extracting ${rows} rows for ${date}`);
    const extracted = Array.from({ length: rows }, (_, i) => ({ id: i, value: Math.round(Math.random() * 1000) }));
    if (Math.random() < failRate) throw new Error(`the source was flaky on attempt ${attempt}`);
    const total = extracted.reduce((sum, r) => sum + r.value, 0);
    log.info(`loaded ${rows} rows, total ${total}`);
    return { day: date, rows, total };
  },
);
