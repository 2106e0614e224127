import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { runAssignment, runEngine, type EngineProcess } from '../helpers/engineHarness.js';
import { tempDir } from '../helpers/tempDir.js';

let engine: EngineProcess | undefined;
let dir: ReturnType<typeof tempDir> | undefined;
afterEach(() => {
  engine?.kill();
  dir?.remove();
});

test("a flow in a directory with no node_modules (a git checkout, say) still imports 'baton' and 'zod'", async () => {
  dir = tempDir('baton-bare-project-');
  mkdirSync(join(dir.path, 'flows'));
  writeFileSync(
    join(dir.path, 'flows/standalone.ts'),
    `import { flow } from 'baton';
import { z } from 'zod';
export const standalone = flow({ name: 'standalone', params: z.object({ n: z.number().default(2) }) }, ({ n }, { log }) => {
  log.info('n squared is ' + n * n);
  return n * n;
});
`,
  );
  const result = await runEngine(runAssignment({ entrypoint: 'flows/standalone.ts:standalone', workingDir: { jobVariable: dir.path, pullSteps: null, deploymentPath: null } }));
  engine = result.engine;
  expect(result.code, engine.stderr()).toBe(0);
  expect(engine.proposals().at(-1), engine.stdout() + engine.stderr()).toMatchObject({ type: 'COMPLETED', data: 4 });
});

test('a package that exists nowhere is still a clear failure', async () => {
  dir = tempDir('baton-bare-project-');
  writeFileSync(join(dir.path, 'f.ts'), `import 'no-such-package-anywhere';\nexport const x = 1;\n`);
  const result = await runEngine(runAssignment({ entrypoint: 'f.ts:x', workingDir: { jobVariable: dir.path, pullSteps: null, deploymentPath: null } }));
  engine = result.engine;
  expect(engine.proposals().at(-1)).toMatchObject({ type: 'FAILED' });
  expect(String(engine.proposals().at(-1)?.message)).toMatch(/no-such-package-anywhere/);
});
