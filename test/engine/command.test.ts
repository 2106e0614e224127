import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { engineCommand } from '../../src/engine/command.js';

const DIST_MAIN = fileURLToPath(new URL('../../dist/engine/main.js', import.meta.url));

test('engineCommand() runs dist/engine/main.js (which registers the loader hooks itself) by absolute path, from src/ and from dist/ alike', async () => {
  const fromSource = engineCommand();
  expect(fromSource).toEqual({
    command: process.execPath,
    args: ['--enable-source-maps', DIST_MAIN],
    env: { NODE_PATH: expect.stringMatching(/\/node_modules$/) },
  });
  expect(existsSync(DIST_MAIN)).toBe(true);
  const compiled = (await import(new URL('../../dist/engine/command.js', import.meta.url).href)) as typeof import('../../src/engine/command.js');
  expect(compiled.engineCommand()).toEqual(fromSource);
});
