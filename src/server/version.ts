import { readFileSync } from 'node:fs';

/** baton's package version. */
export const BATON_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** The REST schema version Prefect clients check (`GET /api/version`). */
export const API_VERSION = '0.8.4';
