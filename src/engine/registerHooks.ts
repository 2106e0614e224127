// Loaded with --import before the engine: installs the fallback resolution of fallbackResolve.ts.
import { register } from 'node:module';

register('./fallbackResolve.js', import.meta.url);
