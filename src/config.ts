import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { InvalidError } from './domain/errors.js';

/**
 * baton's settings, declared once. Each is read from, in rising precedence: its default, the
 * config file ($BATON_HOME/config.json, written by `baton config set`), the environment, and
 * command-line flags. Everything is validated here, once, at the entry point; all problems are
 * reported together.
 *
 * Values are checked by the small parsers below rather than zod: every CLI command reads the
 * settings, and importing zod alone costs over 100 ms of start-up on a small machine.
 */
type Parser<T> = (raw: string | number) => T;

/** Throws the message that names what was expected. */
function fail(message: string): never {
  throw new Error(message);
}

const text: Parser<string> = (raw) => {
  const v = String(raw).trim();
  return v === '' ? fail('must not be empty') : v;
};

const url: Parser<string> = (raw) => {
  const v = String(raw).trim();
  try {
    const u = new URL(v);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') fail('must be an http:// or https:// URL');
  } catch {
    fail('must be a URL such as http://127.0.0.1:4200/api');
  }
  return v.replace(/\/+$/, '');
};

function int(min: number, max = Number.MAX_SAFE_INTEGER): Parser<number> {
  return (raw) => {
    const v = typeof raw === 'number' ? raw : Number(String(raw).trim());
    if (String(raw).trim() === '' || !Number.isInteger(v)) fail('must be a whole number');
    if (v < min || v > max) fail(`must be between ${min} and ${max}`);
    return v;
  };
}

function num(min: number, exclusive = false): Parser<number> {
  return (raw) => {
    const v = typeof raw === 'number' ? raw : Number(String(raw).trim());
    if (String(raw).trim() === '' || !Number.isFinite(v)) fail('must be a number');
    if (exclusive ? v <= min : v < min) fail(`must be ${exclusive ? 'greater than' : 'at least'} ${min}`);
    return v;
  };
}

function oneOf<const T extends string>(values: readonly T[]): Parser<T> {
  return (raw) => {
    const v = String(raw).trim().toLowerCase();
    return (values as readonly string[]).includes(v) ? (v as T) : fail(`must be one of: ${values.join(', ')}`);
  };
}

const port = int(0, 65535);
const seconds = num(0);
const positiveSeconds = num(0, true);

interface SettingSpec<T, Optional extends boolean = boolean> {
  parse: Parser<T>;
  default: T | null;
  optional: Optional;
  description: string;
}

function setting<T>(parse: Parser<T>, def: T, description: string): SettingSpec<T, false> {
  return { parse, default: def, optional: false, description };
}

/** A setting with no default: null until set. */
function optionalSetting<T>(parse: Parser<T>, description: string): SettingSpec<T, true> {
  return { parse, default: null, optional: true, description };
}

export const SETTINGS = {
  BATON_API_URL: setting(
    url,
    'http://127.0.0.1:4200/api',
    'URL of the baton API that the CLI and workers talk to.',
  ),
  BATON_SERVER_HOST: setting(text, '127.0.0.1', 'Address `baton server start` listens on.'),
  BATON_SERVER_PORT: setting(port, 4200, 'Port `baton server start` listens on.'),
  BATON_DATABASE_PATH: optionalSetting(text, 'SQLite database file (default: $BATON_HOME/baton.db).'),
  BATON_DEFAULT_WORK_POOL_NAME: optionalSetting(
    text,
    'Work pool `baton deploy` uses when none is given (set by `work-pool create --set-as-default`).',
  ),
  BATON_WORKER_HEARTBEAT_SECONDS: setting(
    positiveSeconds,
    10,
    "How often a worker heartbeats; it loses its runs' leases after missing 3.",
  ),
  BATON_WORKER_PREFETCH_SECONDS: setting(
    seconds,
    10,
    'How far ahead of a run’s scheduled time a worker claims it and prepares its process.',
  ),
  BATON_WORKER_CANCEL_GRACE_SECONDS: setting(
    seconds,
    10,
    'Seconds between SIGTERM and SIGKILL when a worker cancels or times out a flow run.',
  ),
  BATON_SERVER_LATE_RUNS_AFTER_SECONDS: setting(
    seconds,
    15,
    'A scheduled run this many seconds past its time is marked Late.',
  ),
  BATON_SERVER_CANCELLING_TIMEOUT_SECONDS: setting(
    positiveSeconds,
    300,
    'A run stuck in Cancelling this long is forced to Cancelled and its slots freed.',
  ),
  BATON_SERVER_SCHEDULER_MIN_RUNS: setting(int(1), 3, 'Each schedule keeps at least this many future runs.'),
  BATON_SERVER_SCHEDULER_MAX_RUNS: setting(int(1), 100, 'Each schedule keeps at most this many future runs.'),
  BATON_SERVER_SCHEDULER_MIN_SCHEDULED_TIME: setting(
    seconds,
    3600,
    'Each schedule keeps runs at least this many seconds ahead.',
  ),
  BATON_SERVER_SCHEDULER_MAX_SCHEDULED_TIME: setting(
    positiveSeconds,
    100 * 86400,
    'Each schedule keeps runs at most this many seconds ahead.',
  ),
  BATON_SERVER_SCHEDULER_CATCHUP_WINDOW_SECONDS: setting(
    positiveSeconds,
    7 * 86400,
    'Slots missed longer ago than this (server down) are never made up, whatever the catch-up policy.',
  ),
  BATON_LOGGING_LEVEL: setting(
    oneOf(['debug', 'info', 'warn', 'error', 'silent'] as const),
    'info',
    'Log level of the server and the worker.',
  ),
} satisfies Record<string, SettingSpec<unknown>>;

export type SettingKey = keyof typeof SETTINGS;
type SettingValue<K extends SettingKey> = (typeof SETTINGS)[K] extends SettingSpec<infer T, infer O>
  ? O extends true
    ? T | null
    : T
  : never;
export type Settings = { [K in Exclude<SettingKey, 'BATON_DATABASE_PATH'>]: SettingValue<K> } & {
  BATON_HOME: string;
  BATON_DATABASE_PATH: string;
};
export type SettingSource = 'default' | 'file' | 'env' | 'flag';

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTINGS, key);
}

export function batonHome(env: NodeJS.ProcessEnv): string {
  const home = env.BATON_HOME;
  return home && home.trim() !== '' ? resolve(home) : join(homedir(), '.baton');
}

export function configFilePath(env: NodeJS.ProcessEnv): string {
  return join(batonHome(env), 'config.json');
}

/** Reads the config file; a missing file is empty, a broken one is an error naming the file. */
export function readConfigFile(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new InvalidError(`The config file ${path} is not valid JSON (${(err as Error).message}). Fix or delete it.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidError(`The config file ${path} must hold a JSON object of KEY: "value" pairs.`);
  }
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
}

export function writeConfigFile(path: string, values: Record<string, string>): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(values, null, 2)}\n`);
  renameSync(tmp, path);
}

export interface LoadedSettings {
  settings: Settings;
  sources: Record<SettingKey, SettingSource>;
  configFile: string;
}

/**
 * Resolves every setting. `flags` are values given on the command line (already named by their
 * setting key). Throws one InvalidError listing every invalid value with where it came from.
 */
export function loadSettings(
  env: NodeJS.ProcessEnv,
  flags: Partial<Record<SettingKey, string | number>> = {},
): LoadedSettings {
  const home = batonHome(env);
  const configFile = configFilePath(env);
  const file = readConfigFile(configFile);
  const values: Record<string, unknown> = {};
  const sources = {} as Record<SettingKey, SettingSource>;
  const problems: string[] = [];
  for (const key of Object.keys(file)) {
    if (!isSettingKey(key)) problems.push(`${key} (in ${configFile}) is not a baton setting; valid keys: ${SETTING_KEYS.join(', ')}`);
  }
  for (const key of SETTING_KEYS) {
    const spec: SettingSpec<unknown> = SETTINGS[key];
    let raw: string | number | undefined;
    let source: SettingSource = 'default';
    if (file[key] !== undefined) [raw, source] = [file[key], 'file'];
    const fromEnv = env[key];
    if (fromEnv !== undefined && fromEnv !== '') [raw, source] = [fromEnv, 'env'];
    if (flags[key] !== undefined) [raw, source] = [flags[key], 'flag'];
    sources[key] = source;
    if (raw === undefined) {
      values[key] = spec.default;
      continue;
    }
    try {
      values[key] = spec.parse(raw);
    } catch (err) {
      problems.push(`${key}=${JSON.stringify(String(raw))} (from ${source}) ${(err as Error).message}`);
    }
  }
  if (problems.length > 0) throw new InvalidError(`Invalid settings: ${problems.join('; ')}`);
  values.BATON_HOME = home;
  values.BATON_DATABASE_PATH = (values.BATON_DATABASE_PATH as string | null) ?? join(home, 'baton.db');
  return { settings: values as Settings, sources, configFile };
}

/** Validates one value for `baton config set`, returning the problem or null. */
export function checkSettingValue(key: SettingKey, value: string): string | null {
  try {
    (SETTINGS[key] as SettingSpec<unknown>).parse(value);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}
