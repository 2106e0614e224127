import { afterEach, expect, test } from 'vitest';
import { color } from '../../src/cli/output.js';

/** The colour decision is made at each call, from the environment of that moment. */
const saved = { NO_COLOR: process.env.NO_COLOR, FORCE_COLOR: process.env.FORCE_COLOR, CI: process.env.CI };
const isTty = process.stdout.isTTY;

function setEnv(values: Partial<Record<keyof typeof saved, string | undefined>>): void {
  for (const key of Object.keys(saved) as (keyof typeof saved)[]) {
    const value = values[key];
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}

afterEach(() => {
  setEnv(saved);
  process.stdout.isTTY = isTty;
});

test('FORCE_COLOR colours; NO_COLOR set later wins over it', () => {
  setEnv({ FORCE_COLOR: '1' });
  expect(color.bold('ID')).toBe('\x1b[1mID\x1b[22m');
  process.env.NO_COLOR = '1';
  expect(color.bold('ID')).toBe('ID');
  expect(color.red(3)).toBe('3');
});

test('a CI variable alone does not colour piped output; a terminal does', () => {
  setEnv({ CI: 'true' });
  process.stdout.isTTY = false;
  expect(color.green('ok')).toBe('ok');
  process.stdout.isTTY = true;
  expect(color.green('ok')).toBe('\x1b[32mok\x1b[39m');
  setEnv({ FORCE_COLOR: '0' });
  expect(color.green('ok')).toBe('ok');
});
