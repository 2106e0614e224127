import { afterAll, expect, test } from 'vitest';
import { baton } from '../helpers/processes.js';
import { tempDir } from '../helpers/tempDir.js';

/** `baton schedule preview` through the real bin/baton.js; it needs no server. */
const home = tempDir();
const env = { BATON_HOME: home.path, NO_COLOR: '1' };
afterAll(() => home.remove());

test('the table flags the spring-forward gap and the first slot after fall-back', async () => {
  const spring = await baton(['schedule', 'preview', '--cron', '30 2 * * *', '--timezone', 'America/New_York', '--from', '2026-03-07T00:00', '--count', '3'], env);
  expect(spring.exitCode, spring.stderr).toBe(0);
  const gapRow = spring.stdout.split('\n').find((l) => l.includes('2026-03-08T07:00:00Z'));
  expect(gapRow).toContain('Sun 2026-03-08 03:00:00 -04:00');
  expect(gapRow).toContain('DST starts: 02:30 does not exist, moved to 03:00');
  expect(spring.stdout).toMatch(/│ #\s+│ UTC\s+│ Local \(America\/New_York\)\s+│ Note/);

  const fall = await baton(['schedule', 'preview', '--rrule', 'FREQ=HOURLY;BYMINUTE=30', '--timezone', 'America/New_York', '--from', '2026-11-01T00:00', '--count', '4'], env);
  expect(fall.exitCode, fall.stderr).toBe(0);
  expect(fall.stdout).toContain('DST ends: 01:30 occurs twice, first kept');
  expect(fall.stdout.split('\n').find((l) => l.includes('2026-11-01T07:30:00Z'))).toContain('offset changes to -05:00');
});

test('-o json prints only the UTC times, as an array', async () => {
  const result = await baton(['schedule', 'preview', '--interval', '86400', '--anchor-date', '2026-03-01T09:00', '--timezone', 'America/New_York', '--from', '2026-03-07', '--count', '3', '-o', 'json'], env);
  expect(result.exitCode, result.stderr).toBe(0);
  expect(JSON.parse(result.stdout)).toEqual(['2026-03-07T14:00:00.000Z', '2026-03-08T13:00:00.000Z', '2026-03-09T13:00:00.000Z']);
});

test('a bad value is one line naming the flag, with exit code 1', async () => {
  for (const [args, message] of [
    [['--cron', '61 * * * *'], "Error: --cron: '61 * * * *' is invalid: minute 61 is out of range 0-59"],
    [['--cron', '@daily', '--timezone', 'Mars/Olympus'], "Error: --timezone: 'Mars/Olympus' is not an IANA time zone (such as UTC or America/New_York)"],
    [['--cron', '@daily', '--interval', '60'], 'Error: Pass only one of --cron, --interval or --rrule (got --cron and --interval).'],
  ] as const) {
    const result = await baton(['schedule', 'preview', ...args], env);
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim()).toBe(message);
    expect(result.stdout).toBe('');
  }
});
