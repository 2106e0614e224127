import { afterAll, expect, test, vi } from 'vitest';
import { BatonClient, ServerUnreachableError } from '../../src/client/index.js';
import { followRun } from '../../src/cli/follow.js';
import { testApp } from '../helpers/app.js';
import { createDeployment, createPool, createRun, setState } from '../helpers/objects.js';

/** A follow whose server goes away for good gives up after its outage limit, with the reason. */
const t = await testApp();
afterAll(async () => {
  await t.close();
});

test('a follow retries an unreachable server up to its outage limit, then ends with the unreachable error', async () => {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await createPool(t);
  const deployment = await createDeployment(t);
  const run = await createRun(t, deployment.id);
  await setState(t, run.id, { type: 'PENDING' });
  await setState(t, run.id, { type: 'RUNNING' });

  const stderr: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr.push(String(chunk));
    return true;
  });
  const states: string[] = [];
  try {
    const api = new BatonClient(`http://127.0.0.1:${port}/api`);
    const following = followRun(api, run.id, { onLog: () => {}, onState: (s) => states.push(s.name), outageLimitMs: 1_500 });
    const outcome = following.then(
      () => null,
      (err: unknown) => err,
    );
    await vi.waitFor(() => expect(states).toContain('Running'), { timeout: 5_000 });
    const closedAt = Date.now();
    await t.app.close();
    const err = await outcome;
    const after = Date.now() - closedAt;
    expect(err).toBeInstanceOf(ServerUnreachableError);
    expect(after).toBeGreaterThanOrEqual(1_500);
    expect(stderr.filter((l) => l.includes('Still following flow run'))).toHaveLength(1);
  } finally {
    spy.mockRestore();
  }
  expect(states).toEqual(['Scheduled', 'Pending', 'Running']);
});
