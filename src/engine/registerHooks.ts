// Loaded with --import before the engine: installs baton's TypeScript loader and fallback
// module resolution (loaderHooks.ts).
import { register } from 'node:module';

register('./loaderHooks.js', import.meta.url);
