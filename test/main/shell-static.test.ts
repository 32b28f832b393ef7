/**
 * The browser shell's static files (main/hosts/http/static.ts): read once and then served from
 * memory, the app's icon as /favicon.ico, a file missing at first served once it is there. A real
 * shell on 127.0.0.1 over real test services, a real HTTP client.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startShell } from '../../main/hosts/http/shell.js';
import type { Shell } from '../../main/hosts/http/shell.js';
import { StaticFiles } from '../../main/hosts/http/static.js';
import { tempDir, testServices } from '../helpers/services.js';
import type { TestServices } from '../helpers/services.js';

let t: TestServices;
let shell: Shell;
let dir: string;
let cleanup = () => {};
const icon = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);

beforeEach(async () => {
  t = await testServices();
  const ui = tempDir('vakt-ui-');
  ({ dir, cleanup } = ui);
  mkdirSync(join(dir, 'chunks'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Vakt</title>');
  writeFileSync(join(dir, 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'chunks', 'Queue-1.js'), 'export const q = 1');
  writeFileSync(join(dir, 'icon.png'), icon);
  const statics = new StaticFiles(dir);
  statics.preload();
  shell = await startShell({ services: t.services, rendererDir: dir, statics });
});
afterEach(async () => {
  await shell.close();
  await t.cleanup();
  cleanup();
});

const get = async (path: string) => {
  const res = await fetch(`${shell.origin}${path}`);
  return { status: res.status, type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
};

it('answers /favicon.ico with the app’s icon, not 404', async () => {
  expect(await get('/favicon.ico')).toEqual({ status: 200, type: 'image/png', body: icon });
});

it('serves the page’s files from memory after the first read: a change on disk is not read again', async () => {
  expect((await get('/app.js')).body.toString()).toBe('console.log(1)');
  expect((await get('/chunks/Queue-1.js')).body.toString()).toBe('export const q = 1');
  writeFileSync(join(dir, 'app.js'), 'console.log(2)');
  rmSync(join(dir, 'chunks', 'Queue-1.js'));
  expect(await get('/app.js')).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8' });
  expect((await get('/app.js')).body.toString()).toBe('console.log(1)');
  expect((await get('/chunks/Queue-1.js')).body.toString()).toBe('export const q = 1');
});

it('a file missing at its first request is served once it is there; a path out of the folder is refused', async () => {
  expect((await get('/late.css')).status).toBe(404);
  writeFileSync(join(dir, 'late.css'), 'body{}');
  expect(await get('/late.css')).toEqual({ status: 200, type: 'text/css; charset=utf-8', body: Buffer.from('body{}') });
  expect((await get('/%2F..%2Fsecret')).status).toBe(403);
});
