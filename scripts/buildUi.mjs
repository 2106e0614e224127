// Builds the web UI (src/ui, Preact + TSX) into dist/ui: one minified JS bundle and one CSS file
// with content-hashed names under assets/ (plus gzipped copies the server sends when the browser
// accepts them), and the index.html that loads them. Nothing is fetched at run time.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist/ui');
const assetsDir = join(outDir, 'assets');

// Other builds (a test run in another terminal) may write the same files while a server reads
// them: every file appears whole, through a rename.
function writeAtomic(path, contents) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, path);
}

const result = await build({
  entryPoints: [join(root, 'src/ui/main.tsx')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outdir: assetsDir,
  entryNames: 'app-[hash]',
  assetNames: '[name]-[hash]',
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': '"production"' },
  tsconfig: join(root, 'tsconfig.ui.json'),
  metafile: true,
  write: false,
  logLevel: 'warning',
});

mkdirSync(assetsDir, { recursive: true });
const names = [];
const sizes = [];
for (const file of result.outputFiles) {
  const name = basename(file.path);
  names.push(name);
  writeAtomic(file.path, file.contents);
  const gz = gzipSync(file.contents, { level: 9 });
  writeAtomic(`${file.path}.gz`, gz);
  sizes.push({ name, raw: file.contents.length, gz: gz.length });
}
const js = names.find((n) => n.endsWith('.js'));
const css = names.find((n) => n.endsWith('.css'));
if (!js || !css) throw new Error(`the UI build produced ${names.join(', ')}: expected one .js and one .css file`);

// A favicon inline, so the browser never asks the server (or anything else) for one.
const favicon =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect width='32' height='32' rx='7' fill='%23334dd6'/%3E%3Cpath d='M9 23 23 9' stroke='white' stroke-width='4' stroke-linecap='round'/%3E%3C/svg%3E";
const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>baton</title>
<link rel="icon" href="${favicon}">
<link rel="stylesheet" href="/assets/${css}">
<script type="module" src="/assets/${js}"></script>
</head>
<body>
<div id="app"></div>
<noscript>The baton dashboard needs JavaScript. The REST API is at <a href="/api/health">/api</a>.</noscript>
</body>
</html>
`;
writeAtomic(join(outDir, 'index.html'), html);

// Assets of earlier builds are no longer referenced.
const keep = new Set(names.flatMap((n) => [n, `${n}.gz`]));
for (const file of readdirSync(assetsDir)) {
  if (!keep.has(file) && !file.endsWith('.tmp')) rmSync(join(assetsDir, file), { force: true });
}

const total = sizes.reduce((a, s) => ({ raw: a.raw + s.raw, gz: a.gz + s.gz }), { raw: 0, gz: 0 });
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
process.stdout.write(`ui: ${sizes.map((s) => `${s.name} ${kb(s.raw)} (${kb(s.gz)} gzip)`).join(', ')}; total ${kb(total.raw)}, ${kb(total.gz)} gzip\n`);
