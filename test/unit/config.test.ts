import { afterEach, beforeEach, expect, test } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSettings } from '../../src/config.js';
import { tempDir } from '../helpers/tempDir.js';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

test('defaults: ~/.baton-style home, database under it, local API URL', () => {
  const { settings, sources } = loadSettings({ BATON_HOME: dir.path });
  expect(settings.BATON_API_URL).toBe('http://127.0.0.1:4200/api');
  expect(settings.BATON_SERVER_PORT).toBe(4200);
  expect(settings.BATON_DATABASE_PATH).toBe(join(dir.path, 'baton.db'));
  expect(sources.BATON_API_URL).toBe('default');
});

test('file < env < flags', () => {
  writeFileSync(join(dir.path, 'config.json'), JSON.stringify({ BATON_SERVER_PORT: '4300', BATON_SERVER_HOST: '0.0.0.0' }));
  const fromFile = loadSettings({ BATON_HOME: dir.path });
  expect(fromFile.settings.BATON_SERVER_PORT).toBe(4300);
  expect(fromFile.sources.BATON_SERVER_PORT).toBe('file');
  const fromEnv = loadSettings({ BATON_HOME: dir.path, BATON_SERVER_PORT: '4400' });
  expect(fromEnv.settings.BATON_SERVER_PORT).toBe(4400);
  expect(fromEnv.settings.BATON_SERVER_HOST).toBe('0.0.0.0');
  const fromFlag = loadSettings({ BATON_HOME: dir.path, BATON_SERVER_PORT: '4400' }, { BATON_SERVER_PORT: 4500 });
  expect(fromFlag.settings.BATON_SERVER_PORT).toBe(4500);
  expect(fromFlag.sources.BATON_SERVER_PORT).toBe('flag');
});

test('every invalid value is reported at once, with its source', () => {
  writeFileSync(join(dir.path, 'config.json'), JSON.stringify({ BATON_NOPE: '1' }));
  expect(() => loadSettings({ BATON_HOME: dir.path, BATON_SERVER_PORT: 'abc', BATON_API_URL: 'ftp://x' })).toThrow(
    /BATON_NOPE.*not a baton setting.*BATON_API_URL="ftp:\/\/x" \(from env\).*BATON_SERVER_PORT="abc" \(from env\) must be a whole number/,
  );
});

test('a broken config file is named', () => {
  writeFileSync(join(dir.path, 'config.json'), '{ nope');
  expect(() => loadSettings({ BATON_HOME: dir.path })).toThrow(/config\.json is not valid JSON/);
});
