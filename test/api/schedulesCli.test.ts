import { Command } from 'commander';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { registerDeploymentSchedule } from '../../src/cli/commands/deploymentSchedule.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { createDeployment, createPool } from '../helpers/objects.js';

/**
 * `baton deployment schedule …` in-process against the real app on a port (the command module
 * alone, under a bare `deployment` group, so the test does not depend on other command groups).
 */
let t: TestApp;
let deploymentId: string;

beforeAll(async () => {
  t = await testApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  process.env.BATON_HOME = t.dir;
  process.env.BATON_API_URL = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api`;
  process.env.NO_COLOR = '1';
  await createPool(t);
  deploymentId = (await createDeployment(t)).id;
});
afterAll(async () => {
  await t.close();
});

/** Runs the command; returns its output, or the error it threw. */
async function baton(...args: string[]): Promise<{ out: string; error: string | null }> {
  const program = new Command('baton').exitOverride();
  registerDeploymentSchedule(program.command('deployment').exitOverride());
  for (const c of program.commands[0]?.commands ?? []) for (const sub of [c, ...c.commands]) sub.exitOverride();
  let out = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => {
    out += chunk;
    return true;
  }) as typeof process.stdout.write;
  try {
    await program.parseAsync(['deployment', 'schedule', ...args], { from: 'user' });
    return { out, error: null };
  } catch (err) {
    return { out, error: (err as Error).message };
  } finally {
    process.stdout.write = write;
  }
}

test('create prints the schedule; ls shows ID, Schedule, Active, Catch-up, Max active and Next run', async () => {
  const created = await baton('create', 'etl/nightly', '--cron', '0 9 * * MON-FRI', '--timezone', 'America/New_York', '--slug', 'weekdays', '--max-active-runs', '1');
  expect(created.error).toBeNull();
  expect(created.out).toMatch(/^Created deployment schedule [0-9a-f-]{36} for 'etl\/nightly': cron: 0 9 \* \* MON-FRI \(America\/New_York\)\.\n/);
  expect(created.out).toContain('└── Active: true, catch-up: latest, max active runs: 1');
  expect((await baton('create', 'etl/nightly', '--interval', '3600', '--catchup', 'none', '--inactive', '-p', 'name=moon', '--max-scheduled-runs', '4')).error).toBeNull();
  const ls = await baton('ls', 'etl/nightly');
  expect(ls.out).toMatch(/│ ID\s+│ Schedule\s+│ Active │ Catch-up │ Max active │ Next run\s+│/);
  expect(ls.out).toMatch(/weekdays: cron: 0 9 \* \* MON-FRI \(America\/New_York\) │ true\s+│ latest\s+│ 1\s+│ \d{4}-\d\d-\d\dT\d\d:00:00\.000Z \(in /);
  expect(ls.out).toMatch(/interval: 3600s\s+│ false\s+│ none\s+│ -\s+│ None/);
  const json = JSON.parse((await baton('ls', 'etl/nightly', '-o', 'json')).out);
  expect(json.map((s: any) => [s.slug, s.catchup, s.max_active_runs, s.max_scheduled_runs, s.parameters])).toEqual([
    ['weekdays', 'latest', 1, null, {}],
    [null, 'none', null, 4, { name: 'moon' }],
  ]);
});

test('bad flags are one error naming the flag; the server refuses a slug already used', async () => {
  expect((await baton('create', 'etl/nightly', '--cron', '61 * * * *')).error).toBe("--cron: '61 * * * *' is invalid: minute 61 is out of range 0-59");
  expect((await baton('create', 'etl/nightly', '--cron', '@daily', '--timezone', 'Mars/Olympus')).error).toBe(
    "--timezone: 'Mars/Olympus' is not an IANA time zone (such as UTC or America/New_York)",
  );
  expect((await baton('create', 'etl/nightly', '--cron', '@daily', '--interval', '60')).error).toBe('Pass only one of --interval, --cron or --rrule (got --cron and --interval).');
  expect((await baton('create', 'etl/nightly', '--interval', '60', '--catchup', 'some')).error).toMatch(/'some' is not one of all, latest, none/);
  expect((await baton('create', 'etl/nightly', '--interval', '60', '--slug', 'weekdays')).error).toBe('Schedule slugs must be unique within a deployment.');
  expect((await baton('pause', 'etl/nightly')).error).toBe('Pass either a schedule ID or --all (see `baton deployment schedule ls`).');
  expect((await baton('ls', 'etl/nope')).error).toBe("Deployment 'etl/nope' not found. List deployments with `baton deployment ls`.");
});

test('pause, resume, delete one by ID or all; clear removes every schedule', async () => {
  const [first, second] = (await t.call('GET', `/api/deployments/${deploymentId}/schedules`)).body;
  expect((await baton('pause', 'etl/nightly', first.id)).out).toBe(`Paused schedule ${first.id} of deployment 'etl/nightly'.\n`);
  expect((await t.call('GET', `/api/deployments/${deploymentId}/schedules`)).body.map((s: any) => s.active)).toEqual([false, false]);
  expect((await baton('resume', 'etl/nightly', '--all')).out).toBe("Resumed 2 schedule(s) of deployment 'etl/nightly'.\n");
  expect((await baton('delete', 'etl/nightly', second.id)).out).toBe(`Deleted schedule ${second.id} of deployment 'etl/nightly'.\n`);
  expect((await baton('delete', 'etl/nightly', '00000000-0000-7000-8000-000000000000')).error).toMatch(/^Schedule '00000000-0000-7000-8000-000000000000' not found on deployment 'etl\/nightly'/);
  expect((await baton('create', 'etl/nightly', '--interval', '600', '--replace', '-y')).error).toBeNull();
  expect((await t.call('GET', `/api/deployments/${deploymentId}/schedules`)).body.map((s: any) => s.schedule)).toEqual([{ interval: 600 }]);
  expect((await baton('clear', 'etl/nightly', '-y')).out).toBe("Deleted all 1 schedule(s) of deployment 'etl/nightly'.\n");
  expect((await t.call('GET', `/api/deployments/${deploymentId}/schedules`)).body).toEqual([]);
});
