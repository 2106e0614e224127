import { BatonClient } from '../client/index.js';
import { loadSettings, type LoadedSettings, type SettingKey } from '../config.js';

let loaded: LoadedSettings | null = null;

/** Settings for this command, read once (defaults < config file < env < flags). */
export function settings(flags: Partial<Record<SettingKey, string | number>> = {}): LoadedSettings {
  if (Object.keys(flags).length > 0) return loadSettings(process.env, flags);
  loaded ??= loadSettings(process.env);
  return loaded;
}

/** A client for the configured server. */
export function client(): BatonClient {
  return new BatonClient(settings().settings.BATON_API_URL);
}

/** The dashboard URL for a UI path, derived from the API URL. */
export function uiUrl(path: string): string {
  const api = settings().settings.BATON_API_URL;
  return `${api.replace(/\/api$/, '')}${path}`;
}
