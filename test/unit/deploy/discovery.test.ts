import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { discoverFlows, flowNameResolver, normalizeEntrypoint } from '../../../src/deploy/discovery.js';
import { scanFlowSource } from '../../../src/deploy/flowExports.js';
import { tempDir } from '../../helpers/tempDir.js';

const IMPORT = "import { flow } from 'baton';\nimport { z } from 'zod';\n";

describe('scanFlowSource: which exports are flows', () => {
  test('export const / let / var, with the name option or the export name', () => {
    const found = scanFlowSource(`${IMPORT}
export const etl = flow({ name: 'etl-daily', params: z.object({ day: z.string().default('today') }) }, async ({ day }, { log }) => {
  log.info(\`processing \${day}\`);
});
export let second = flow({ retries: 2 }, async () => {});
export var third = flow({ name: "third-flow" }, async () => {});
`);
    expect(found).toEqual([
      { exportName: 'etl', flowName: 'etl-daily' },
      { exportName: 'second', flowName: null },
      { exportName: 'third', flowName: 'third-flow' },
    ]);
  });

  test('export default flow(...) is the export "default"', () => {
    expect(scanFlowSource(`${IMPORT}export default flow({ name: 'main' }, async () => 1);\n`)).toEqual([{ exportName: 'default', flowName: 'main' }]);
  });

  test('const x = flow(...) exported later by export { x }, export { x as y }, export default x', () => {
    const found = scanFlowSource(`${IMPORT}
const a = flow({ name: 'a' }, async () => {});
const b = flow({ name: 'b' }, async () => {});
const c = flow({}, async () => {});
const notAFlow = 42;
export { a, b as renamed, notAFlow };
export default c;
`);
    expect(found).toEqual([
      { exportName: 'a', flowName: 'a' },
      { exportName: 'default', flowName: null },
      { exportName: 'renamed', flowName: 'b' },
    ]);
  });

  test('flow imported under another name, through a namespace, or a default import', () => {
    expect(scanFlowSource(`import { flow as defineFlow } from 'baton';\nexport const x = defineFlow({ name: 'x' }, async () => {});`)).toEqual([
      { exportName: 'x', flowName: 'x' },
    ]);
    expect(scanFlowSource(`import * as baton from "baton";\nexport const y = baton.flow({ name: 'y' }, async () => {});`)).toEqual([
      { exportName: 'y', flowName: 'y' },
    ]);
    expect(scanFlowSource(`import b, { type Flow } from 'baton';\nexport const z: Flow = b.flow({}, async () => {});`)).toEqual([
      { exportName: 'z', flowName: null },
    ]);
  });

  test('type annotations, generics and several declarators', () => {
    const found = scanFlowSource(`${IMPORT}
export const typed: Flow<{ day: string }, () => void> = flow<typeof params>({ name: 'typed' }, async () => {}),
  also = flow({ name: \`also\` }, async () => {});
`);
    expect(found).toEqual([
      { exportName: 'also', flowName: 'also' },
      { exportName: 'typed', flowName: 'typed' },
    ]);
  });

  test('only calls of the flow imported from baton count', () => {
    expect(scanFlowSource(`import { flow } from 'other-lib';\nexport const x = flow({ name: 'x' }, async () => {}); // baton`)).toEqual([]);
    expect(scanFlowSource(`import type { flow } from 'baton';\nexport const x = flow({}, async () => {});`)).toEqual([]);
    expect(scanFlowSource(`import { type flow } from 'baton';\nexport const x = flow({}, async () => {});`)).toEqual([]);
    expect(scanFlowSource(`function flow(o) { return o; } // baton\nexport const x = flow({});`)).toEqual([]);
    expect(scanFlowSource(`import * as baton from 'baton';\nexport const x = baton.task({});\nexport const y = other.flow({});`)).toEqual([]);
  });

  test('flow( inside comments, strings, templates and regular expressions is not counted', () => {
    const found = scanFlowSource(`${IMPORT}
// export const c1 = flow({ name: 'line-comment' }, async () => {});
/* export const c2 = flow({ name: 'block-comment' }, async () => {}); */
const s1 = "export const s1 = flow({}, async () => {})";
const s2 = 'export const s2 = flow({}, async () => {})';
const t1 = \`export const t1 = flow({}, async () => {}) \${flow({ name: 'inner' }, async () => {})} \`;
const r1 = /export const r1 = flow\\(/g;
const r2 = x / 2 / flow; // division, not a regex
export const real = flow({ name: 'real', description: "has 'quotes' and // slashes" }, async () => {});
`);
    expect(found).toEqual([{ exportName: 'real', flowName: 'real' }]);
  });

  test('the name option counts only when it is a literal at the top of the options', () => {
    const found = scanFlowSource(`${IMPORT}
const NAME = 'dynamic';
export const a = flow({ params: z.object({ name: z.string() }), name: NAME }, async () => {});
export const b = flow({ params: z.object({ name: z.literal('inner') }) }, async () => {});
export const c = flow({ 'name': 'quoted-key' }, async () => {});
export const d = flow({ name: \`with-\${NAME}\` }, async () => {});
`);
    expect(found).toEqual([
      { exportName: 'a', flowName: null },
      { exportName: 'b', flowName: null },
      { exportName: 'c', flowName: 'quoted-key' },
      { exportName: 'd', flowName: null },
    ]);
  });

  test('flows defined inside functions and re-exports from other modules are not exports of this file', () => {
    const found = scanFlowSource(`${IMPORT}
function make() { const inner = flow({}, async () => {}); return inner; }
export { inner };
export { other } from './other.js';
`);
    expect(found).toEqual([]);
  });

  test('files that are not valid code do not throw', () => {
    for (const junk of ["import { flow } from 'baton'; export const x = flow(", 'baton `unterminated', "baton ' \n /* never closed", 'baton /[/ ']) {
      expect(() => scanFlowSource(junk)).not.toThrow();
    }
  });
});

describe('discoverFlows over a directory tree', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir('baton-discovery-');
  });
  afterEach(() => dir.remove());

  const write = (rel: string, text: string) => {
    const path = join(dir.path, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  };
  const flowFile = (name: string) => `${IMPORT}export const ${name} = flow({ name: '${name}-flow' }, async () => {});\n`;

  test('finds flows in .ts/.mts/.js/.mjs files, relative POSIX paths, sorted by file then export', async () => {
    write('flows/etl.ts', `${IMPORT}export const zeta = flow({}, async () => {});\nexport const alpha = flow({ name: 'alpha' }, async () => {});\n`);
    write('flows/report.mts', flowFile('report'));
    write('a.js', flowFile('plainJs'));
    write('scripts/tool.mjs', flowFile('tool'));
    write('flows/notes.md', flowFile('notInMarkdown'));
    write('flows/util.ts', 'export const helper = () => 1;\n');
    const flows = await discoverFlows(dir.path);
    expect(flows).toEqual([
      { name: 'plainJs-flow', exportName: 'plainJs', file: 'a.js', entrypoint: 'a.js:plainJs' },
      { name: 'alpha', exportName: 'alpha', file: 'flows/etl.ts', entrypoint: 'flows/etl.ts:alpha' },
      { name: 'zeta', exportName: 'zeta', file: 'flows/etl.ts', entrypoint: 'flows/etl.ts:zeta' },
      { name: 'report-flow', exportName: 'report', file: 'flows/report.mts', entrypoint: 'flows/report.mts:report' },
      { name: 'tool-flow', exportName: 'tool', file: 'scripts/tool.mjs', entrypoint: 'scripts/tool.mjs:tool' },
    ]);
  });

  test('skips node_modules, dist, .git, dot-folders and declaration files', async () => {
    write('keep.ts', flowFile('keep'));
    write('node_modules/pkg/index.ts', flowFile('fromDeps'));
    write('packages/a/node_modules/x/index.js', flowFile('nestedDeps'));
    write('dist/keep.js', flowFile('built'));
    write('.git/hooks/x.ts', flowFile('gitInternal'));
    write('.cache/x.ts', flowFile('hidden'));
    write('types/flows.d.ts', flowFile('declared'));
    write('types/flows.d.mts', flowFile('declaredMts'));
    expect((await discoverFlows(dir.path)).map((f) => f.exportName)).toEqual(['keep']);
  });

  test('.batonignore patterns, including negation', async () => {
    write('.batonignore', '# local experiments\nscratch/\n*.draft.ts\n/root-only.ts\nexamples/*\n!examples/keep.ts\n');
    write('flows/etl.ts', flowFile('etl'));
    write('scratch/a.ts', flowFile('scratch'));
    write('flows/wip.draft.ts', flowFile('draft'));
    write('root-only.ts', flowFile('rootOnly'));
    write('sub/root-only.ts', flowFile('subRootOnly'));
    write('examples/drop.ts', flowFile('exampleDrop'));
    write('examples/keep.ts', flowFile('exampleKeep'));
    const names = (await discoverFlows(dir.path)).map((f) => f.exportName);
    expect(names).toEqual(['exampleKeep', 'etl', 'subRootOnly']);
  });

  test('files over 1 MiB are not read', async () => {
    write('big.ts', `${flowFile('big')}//${'x'.repeat(1024 * 1024)}\n`);
    write('small.ts', flowFile('small'));
    expect((await discoverFlows(dir.path)).map((f) => f.exportName)).toEqual(['small']);
  });

  test('symlinked folders are not followed, so a link loop ends; linked files are read', async () => {
    write('flows/etl.ts', flowFile('etl'));
    symlinkSync(dir.path, join(dir.path, 'flows', 'loop'), 'dir');
    symlinkSync(join(dir.path, 'flows', 'etl.ts'), join(dir.path, 'linked.ts'), 'file');
    const flows = await discoverFlows(dir.path);
    expect(flows.map((f) => f.entrypoint)).toEqual(['flows/etl.ts:etl', 'linked.ts:etl']);
  });

  test('a tree of a thousand files', async () => {
    for (let d = 0; d < 40; d++) {
      for (let f = 0; f < 25; f++) write(`pkg${d}/src/file${f}.ts`, f === 0 ? flowFile(`flow${d}`) : `export const v${f} = ${f};\n`.repeat(50));
    }
    const flows = await discoverFlows(dir.path);
    expect(flows).toHaveLength(40);
    expect(flows[0]).toMatchObject({ file: 'pkg0/src/file0.ts', entrypoint: 'pkg0/src/file0.ts:flow0' });
  });

  test('an empty or missing directory has no flows', async () => {
    expect(await discoverFlows(dir.path)).toEqual([]);
    expect(await discoverFlows(join(dir.path, 'missing'))).toEqual([]);
  });
});

describe('entrypoint helpers', () => {
  test('normalizeEntrypoint drops ./ and uses forward slashes', () => {
    expect(normalizeEntrypoint('./flows/etl.ts:etl')).toBe('flows/etl.ts:etl');
    expect(normalizeEntrypoint('flows\\etl.ts:etl')).toBe('flows/etl.ts:etl');
  });

  test('flowNameResolver maps entrypoints to flow names', () => {
    const resolve = flowNameResolver([{ name: 'etl-daily', exportName: 'etl', file: 'flows/etl.ts', entrypoint: 'flows/etl.ts:etl' }]);
    expect(resolve('./flows/etl.ts:etl')).toBe('etl-daily');
    expect(resolve('flows/other.ts:x')).toBeUndefined();
  });
});
