import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { runAssignment, runEngine, type EngineProcess } from '../helpers/engineHarness.js';
import { tempDir } from '../helpers/tempDir.js';

/** baton's TypeScript loader: TypeScript's import conventions, CommonJS names, and the transform cache. */
let engine: EngineProcess | undefined;
const dirs: ReturnType<typeof tempDir>[] = [];
afterEach(() => {
  engine?.kill();
  for (const d of dirs.splice(0)) d.remove();
});

function project(files: Record<string, string>): string {
  const dir = tempDir('baton-loader-');
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir.path, name, '..'), { recursive: true });
    writeFileSync(join(dir.path, name), text);
  }
  return dir.path;
}

test("imports follow TypeScript's conventions: './x.js' finds x.ts, extensionless and directory imports work, types vanish", async () => {
  const root = project({
    'flows/main.ts': `import { flow } from 'baton';
import { double } from '../lib/math.js';
import { triple } from '../lib/more';
import { quad } from '../lib/nested';
import type { Thing } from '../lib/types.js';
enum Mode { A = 'a' }
const thing: Thing = { n: 2 };
export const main = flow({ name: 'main' }, () => ({ mode: Mode.A, value: quad(triple(double(thing.n))), dir: typeof __dirname }));
`,
    'lib/math.ts': 'export const double = (n: number): number => n * 2;\n',
    'lib/more.ts': 'export const triple = (n: number): number => n * 3;\n',
    'lib/nested/index.ts': 'export const quad = (n: number): number => n * 4;\n',
    'lib/types.ts': 'export interface Thing { n: number }\n',
  });
  const cacheDir = join(root, '.cache');
  const result = await runEngine(runAssignment({ entrypoint: 'flows/main.ts:main', workingDir: { jobVariable: root, pullSteps: null, deploymentPath: null } }), {
    env: { BATON_TS_CACHE_DIR: cacheDir },
  });
  engine = result.engine;
  expect(engine.proposals().at(-1), engine.stdout() + engine.stderr()).toMatchObject({ type: 'COMPLETED', data: { mode: 'a', value: 48, dir: 'string' } });
  // Every TypeScript file that was loaded (types.ts is imported for types only, so it is not) was
  // transformed once and cached for the next process.
  expect(readdirSync(cacheDir).filter((f) => f.endsWith('.mjs'))).toHaveLength(4);
});

test('a TypeScript syntax error fails the run with the file and line', async () => {
  const root = project({ 'broken.ts': "import { flow } from 'baton';\nexport const x = flow({ name: 'x' }, () => { const a: = 1; });\n" });
  const result = await runEngine(runAssignment({ entrypoint: 'broken.ts:x', workingDir: { jobVariable: root, pullSteps: null, deploymentPath: null } }));
  engine = result.engine;
  const failed = engine.proposals().at(-1);
  expect(failed?.type).toBe('FAILED');
  expect(String(failed?.message)).toMatch(/broken\.ts/);
});
