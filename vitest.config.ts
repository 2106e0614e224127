import { defineConfig } from 'vitest/config';

/**
 * Two groups: fast tests (unit, API on the in-process app, engine) run in parallel first; tests
 * that start real servers, workers and browsers then run one file at a time, so their processes
 * do not starve each other on a small machine (and timing-sensitive checks stay honest).
 */
export default defineConfig({
  test: {
    pool: 'forks',
    globalSetup: ['test/helpers/globalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: 'fast', include: ['test/{unit,api,engine}/**/*.test.ts'], sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'processes', include: ['test/{e2e,ui,reliability}/**/*.test.ts'], sequence: { groupOrder: 1 }, maxWorkers: 1 },
      },
    ],
  },
});
