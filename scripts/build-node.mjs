// The Node processes' code, bundled with esbuild (issue 19: loading ~220 ES modules one by one
// cost 0.5-1.4 s of each start, in the main thread and again in the store's worker).
//
// dist/app/ holds the bundles, code-split (ESM): one entry per process and the chunks they share,
// so `vakt` still loads only the code of the verb it runs (a verb's dynamic import is a chunk).
// The places the app starts from stay where they were, each a two-line stub that turns on source
// maps (stack traces name our .ts files) and loads its bundle:
//   dist/main/hosts/cli/index.js       (bin/vakt: vakt start|serve|server|sla|backup|restore)
//   dist/main/hosts/electron/main.js   (Electron's main, package.json "main"; Electron emits `ready`
//                                      only once the entry's awaited import has run: app.setPath first)
//   dist/db/worker.js                  (the store's worker thread, started by db/client.ts)
//   dist/db/backup-thread.js           (the owed pre-migration backup's copy, db/owed-backup.ts)
//   dist/server/main.js                (the sync server process, spawned by `vakt server`)
// Each of our modules keeps the import.meta.url it had as tsc output (dist/<layer>/<path>.js),
// so what it finds next to itself (package.json, dist/renderer, contracts/templates, the
// worker, the server entry) is where it was.
// A rebuild writes only the files that changed, each atomically (a `vakt` starting meanwhile, say
// from a test running in parallel with a build, reads the old file or the new one, never a part),
// then removes the files no longer built (and tsc's former JS output under dist/{db,main,server}).
import { build } from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/** The processes: bundle name in dist/app, source entry, stub path in dist/ (and what the stub exports). */
const ENTRIES = [
  { name: 'cli', source: 'main/hosts/cli/index.ts', stub: 'main/hosts/cli/index.js', exports: ['main'] },
  { name: 'electron', source: 'main/hosts/electron/main.ts', stub: 'main/hosts/electron/main.js', exports: [] },
  { name: 'store-worker', source: 'db/worker.ts', stub: 'db/worker.js', exports: [] },
  { name: 'backup-thread', source: 'db/backup-thread.ts', stub: 'db/backup-thread.js', exports: [] },
  { name: 'sync-server', source: 'server/main.ts', stub: 'server/main.js', exports: [] },
];

/**
 * Packages loaded from node_modules at run time, not bundled: native code (better-sqlite3),
 * files read next to their own code (PGlite's wasm and data, node-notifier's binaries,
 * playwright-core, pino's transport worker), optional native parts (pg's pg-native, dbus-next's
 * usocket and x11), Electron itself; and date-holidays, required on first use (lazyHolidays).
 */
const EXTERNAL = ['date-holidays', 'better-sqlite3', '@electric-sql/pglite', 'pg', 'pg-native', 'usocket', 'x11', 'electron', 'node-notifier', 'playwright-core', 'pino'];

/** Rewrites import.meta.{url,dirname,filename} in our sources to the module's place as tsc output (dist/<path>.js). */
function keepModuleUrls(root) {
  return {
    name: 'vakt-module-urls',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        const rel = relative(root, args.path).split(sep).join('/');
        if (rel.startsWith('node_modules/') || rel.startsWith('../')) return undefined;
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes('import.meta.')) return { contents: text, loader: 'ts' };
        const url = `new URL(${JSON.stringify('../' + rel.replace(/\.ts$/, '.js'))}, import.meta.url)`;
        const contents =
          text
            .replaceAll('import.meta.url', `${url}.href`)
            .replaceAll('import.meta.filename', `__vaktFileURLToPath(${url})`)
            .replaceAll('import.meta.dirname', `__vaktDirname(__vaktFileURLToPath(${url}))`) +
          // after the code, so the source map's lines stay the file's own
          `\nimport { fileURLToPath as __vaktFileURLToPath } from 'node:url';\nimport { dirname as __vaktDirname } from 'node:path';\n`;
        return { contents, loader: 'ts' };
      });
    },
  };
}

/**
 * Bundles scripts/holiday-library-node.mjs in place of core/sla/holiday-library.ts: the processes
 * require date-holidays from node_modules when a calendar with holidays first needs it, instead of
 * evaluating it at start (issue 19).
 */
function lazyHolidays(root) {
  const seam = join(root, 'core', 'sla', 'holiday-library.ts');
  const lazy = join(root, 'scripts', 'holiday-library-node.mjs');
  return {
    name: 'vakt-lazy-holidays',
    setup(b) {
      b.onResolve({ filter: /\/holiday-library\.js$/ }, (args) => (join(args.resolveDir, args.path.replace(/\.js$/, '.ts')) === seam ? { path: lazy } : undefined));
    },
  };
}

/** Writes `file` unless it holds `contents` already; through a temporary file and a rename. */
export function writeIfChanged(file, contents) {
  const data = Buffer.from(contents);
  try {
    if (readFileSync(file).equals(data)) return;
  } catch {
    // not there yet
  }
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/** Removes the files under `dir` that are not in `keep` (absolute paths). */
export function removeOthers(dir, keep) {
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const file = join(entry.parentPath ?? entry.path, entry.name);
    if (entry.isFile() && !keep.has(file)) rmSync(file, { force: true });
  }
}

/** Bundles the Node processes into dist/app and writes their stubs; returns the bundle's size in bytes. */
export async function buildNode(root, dist) {
  const out = join(dist, 'app');
  const result = await build({
    entryPoints: Object.fromEntries(ENTRIES.map((e) => [e.name, join(root, e.source)])),
    outdir: out,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: ['node20'],
    external: EXTERNAL,
    chunkNames: 'chunk-[hash]',
    // Whitespace and syntax only: names stay, and the source maps (read by Node as each file loads,
    // without the sources' text, which costs parse time) point stack traces at our .ts lines.
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: true,
    sourcesContent: false,
    metafile: true,
    write: false,
    // Bundled CommonJS libraries call require() for Node's modules; an ES module has none of its own.
    banner: { js: "import { createRequire as __vaktCreateRequire } from 'node:module';\nconst require = __vaktCreateRequire(import.meta.url);" },
    plugins: [lazyHolidays(root), keepModuleUrls(root)],
    logLevel: 'warning',
  });
  const built = new Set();
  for (const f of result.outputFiles) {
    writeIfChanged(f.path, f.contents);
    built.add(f.path);
  }
  for (const e of ENTRIES) {
    const file = join(dist, e.stub);
    const bundle = relative(dirname(file), join(out, `${e.name}.js`))
      .split(sep)
      .join('/');
    const load = `await import(${JSON.stringify(bundle)})`;
    const body = e.exports.length ? `export const { ${e.exports.join(', ')} } = ${load};` : `${load};`;
    writeIfChanged(file, `// Generated by scripts/build-node.mjs: the ${e.name} bundle, with source maps on (before it loads).\nprocess.setSourceMapsEnabled(true);\n${body}\n`);
    built.add(file);
  }
  for (const dir of ['app', 'db', 'main', 'server']) removeOthers(join(dist, dir), built);
  return Object.entries(result.metafile.outputs)
    .filter(([f]) => f.endsWith('.js'))
    .reduce((n, [, o]) => n + o.bytes, 0);
}
