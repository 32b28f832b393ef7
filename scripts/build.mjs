// Builds everything the app runs from dist/:
//   tsc -b (all layers type-checked; core's JS in dist/core for bench:sla, the others' declarations in dist/.tsbuild),
//   the Node processes' bundles (dist/app, with their entry stubs: scripts/build-node.mjs),
//   the renderer bundle (dist/renderer) and the sandboxed preload (dist/preload/preload.cjs) with esbuild.
import { build } from 'esbuild';
import { buildNode } from './build-node.mjs';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

const t0 = Date.now();
execFileSync(process.execPath, [tsc, '-b', ...['core', 'db', 'main', 'server', 'preload', 'renderer'].map((p) => join(root, p))], { stdio: 'inherit', cwd: root });

const nodeBytes = await buildNode(root, dist);

mkdirSync(join(dist, 'renderer'), { recursive: true });
await build({
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
  logLevel: 'warning',
});
copyFileSync(join(root, 'renderer', 'index.html'), join(dist, 'renderer', 'index.html'));
copyFileSync(join(root, 'renderer', 'app.css'), join(dist, 'renderer', 'app.css'));
copyFileSync(join(root, 'renderer', 'icon.png'), join(dist, 'renderer', 'icon.png'));

await build({
  entryPoints: [join(root, 'preload', 'preload.ts')],
  outfile: join(dist, 'preload', 'preload.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  external: ['electron'],
  target: ['node20'],
  logLevel: 'warning',
});
console.log(`vakt: built dist/ in ${((Date.now() - t0) / 1000).toFixed(1)} s (the Node processes' bundles: ${(nodeBytes / 1e6).toFixed(1)} MB)`);
