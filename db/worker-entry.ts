/**
 * Where a thread entry of db/ is (the store's worker, `worker`; the owed backup's copy, `backup-thread`):
 * <name>.js next to the compiled module (in the built app a stub that loads its bundle,
 * scripts/build-node.mjs), or, when running from .ts sources (vitest, tsx), <name>.ts loaded through
 * tsx's ESM loader registered inside the thread (Node 20 workers ignore --import).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WorkerOptions } from 'node:worker_threads';

export function workerEntry(name = 'worker', onFail?: string): { url: URL; bootstrap: string | null } {
  const here = import.meta.url;
  // what the bootstrap does when the entry fails to load (`e`): by default the thread's 'error' event
  const fail = onFail ?? 'throw e;';
  if (/\.[cm]?ts$/.test(new URL(here).pathname)) {
    const url = new URL(`./${name}.ts`, here);
    const pkgJson = createRequire(here).resolve('tsx/package.json');
    const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as { exports: Record<string, { import?: { default?: string } } | string> };
    const esmApi = pkg.exports['./esm/api'];
    const rel = typeof esmApi === 'object' ? esmApi.import?.default : undefined;
    if (!rel) throw new Error('cannot find tsx/esm/api (needed to run a thread of db/ from .ts sources)');
    const api = new URL(rel, pathToFileURL(pkgJson)).href;
    const bootstrap = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); }).catch((e) => { ${fail} });`;
    return { url, bootstrap };
  }
  const url = new URL(`./${name}.js`, here);
  return { url, bootstrap: onFail ? `import(${JSON.stringify(url.href)}).catch((e) => { ${fail} });` : null };
}

/**
 * Starts the thread entry `name` of db/ (`workerEntry`), or `url` when given (tests). `onFail`: plain
 * JavaScript run in the thread when its entry fails to load (the error is `e`).
 */
export function startWorker(name: string, init: WorkerOptions, url?: URL, onFail?: string): Worker {
  const entry = workerEntry(name, onFail);
  return url || !entry.bootstrap ? new Worker(url ?? entry.url, init) : new Worker(entry.bootstrap, { eval: true, ...init });
}
