/**
 * The browser shell's static files (the built renderer), held in memory after
 * their first read: a start reads index.html, app.css, app.js and its chunks
 * (`preload`, begun before the store opens) so that the page's first requests
 * do not wait on the disk behind a busy start. Source maps and anything else
 * are read on first request, then kept. The files are the build's: a rebuild
 * while the process runs is served after a restart.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
};

export interface StaticFile {
  data: Buffer;
  type: string;
}

/** Where a request path points in `dir`, or null when it leaves it. */
export function resolveIn(dir: string, rel: string): string | null {
  const file = normalize(join(dir, rel));
  return file.startsWith(normalize(dir) + sep) ? file : null;
}

export class StaticFiles {
  private readonly files = new Map<string, Promise<StaticFile | null>>();

  constructor(readonly dir: string) {}

  /** The file at `rel` (relative to the folder), or null when there is none; read once. */
  get(rel: string): Promise<StaticFile | null> {
    const file = resolveIn(this.dir, rel);
    if (file === null) return Promise.resolve(null);
    let got = this.files.get(file);
    if (!got) {
      got = read(file);
      this.files.set(file, got);
      // a file missing now may be there later: only what was read is kept
      void got.then((f) => f === null && this.files.delete(file));
    }
    return got;
  }

  /** Reads what the page loads at start (not the source maps), in the background. */
  preload(): void {
    void (async () => {
      const names = ['index.html', 'app.css', 'app.js', 'icon.png'];
      try {
        for (const c of await readdir(join(this.dir, 'chunks'))) if (c.endsWith('.js')) names.push(`chunks/${c}`);
      } catch {
        // no chunks: a one-file build
      }
      await Promise.all(names.map((n) => this.get(n)));
    })();
  }
}

async function read(file: string): Promise<StaticFile | null> {
  try {
    if (!(await stat(file)).isFile()) return null;
    return { data: await readFile(file), type: MIME[extname(file)] ?? 'application/octet-stream' };
  } catch {
    return null;
  }
}
