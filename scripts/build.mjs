// Builds everything the app runs from dist/:
//   tsc -b (all layers type-checked; core's JS in dist/core for bench:sla, the others' declarations in dist/.tsbuild),
//   the Node processes' bundles (dist/app, with their entry stubs: scripts/build-node.mjs),
//   the renderer bundle (dist/renderer) and the sandboxed preload (dist/preload/preload.cjs) with esbuild.
import { build } from 'esbuild';
import { buildNode, removeOthers, writeIfChanged } from './build-node.mjs';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, relative, sep } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

const t0 = Date.now();
execFileSync(process.execPath, [tsc, '-b', ...['core', 'db', 'main', 'server', 'preload', 'renderer'].map((p) => join(root, p))], { stdio: 'inherit', cwd: root });

const nodeBytes = await buildNode(root, dist);

// Written only where changed, each file through a rename (see build-node.mjs): tests running
// while another test file builds read whole files.
const write = (result) => result.outputFiles.forEach((f) => writeIfChanged(f.path, f.contents));
const copy = (name) => writeIfChanged(join(dist, 'renderer', name), readFileSync(join(root, 'renderer', name)));

// Code-split (ES modules): app.js holds the shell, Home and the Queue; the other views are chunks
// loaded on first use (renderer/lazy-views.tsx), so the queue's first paint evaluates no form schemas.
const renderer = await build({
  entryPoints: { app: join(root, 'renderer', 'main.tsx') },
  outdir: join(dist, 'renderer'),
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome120'],
  jsx: 'automatic',
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': '"production"' },
  write: false,
  metafile: true,
  logLevel: 'warning',
});
write(renderer);
// index.html names the chunks app.js imports (modulepreload), so that they are fetched with it, not after it is parsed.
const appJs = Object.entries(renderer.metafile.outputs).find(([file, out]) => out.entryPoint && file.endsWith('/app.js'));
const preloads = appJs[1].imports
  .filter((i) => i.kind === 'import-statement')
  .map((i) => `    <link rel="modulepreload" href="./${relative(join(dist, 'renderer'), join(root, i.path)).split(sep).join('/')}" />\n`)
  .join('');
const html = readFileSync(join(root, 'renderer', 'index.html'), 'utf8');
writeIfChanged(join(dist, 'renderer', 'index.html'), html.replace(/(\s*<script type="module")/, `\n${preloads.trimEnd()}$1`));
// Chunks of earlier builds go (their names carry their content's hash).
removeOthers(join(dist, 'renderer', 'chunks'), new Set(renderer.outputFiles.map((f) => f.path)));
for (const name of ['app.css', 'icon.png']) copy(name);

const preload = await build({
  entryPoints: [join(root, 'preload', 'preload.ts')],
  outfile: join(dist, 'preload', 'preload.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  external: ['electron'],
  target: ['node20'],
  write: false,
  logLevel: 'warning',
});
write(preload);
console.log(`vakt: built dist/ in ${((Date.now() - t0) / 1000).toFixed(1)} s (the Node processes' bundles: ${(nodeBytes / 1e6).toFixed(1)} MB)`);
