// Builds everything the app runs from dist/:
//   tsc -b (all layers type-checked; core's JS in dist/core for bench:sla, the others' declarations in dist/.tsbuild),
//   the Node processes' bundles (dist/app, with their entry stubs: scripts/build-node.mjs),
//   the renderer bundle (dist/renderer) and the sandboxed preload (dist/preload/preload.cjs) with esbuild.
import { build } from 'esbuild';
import { buildNode, writeIfChanged } from './build-node.mjs';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

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

const renderer = await build({
  entryPoints: [join(root, 'renderer', 'main.tsx')],
  outfile: join(dist, 'renderer', 'app.js'),
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
  logLevel: 'warning',
});
write(renderer);
for (const name of ['index.html', 'app.css', 'icon.png']) copy(name);

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
