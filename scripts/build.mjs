// Builds what `bin/baton.js` runs: compiles src/ to dist/ and copies the SQL migrations beside it.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');

execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
mkdirSync(join(root, 'dist/store/sqlite/migrations'), { recursive: true });
cpSync(join(root, 'src/store/sqlite/migrations'), join(root, 'dist/store/sqlite/migrations'), { recursive: true });
// The web UI (src/ui → dist/ui), served by the server at `/`.
execFileSync(process.execPath, [join(root, 'scripts/buildUi.mjs')], { stdio: 'inherit', cwd: root });
