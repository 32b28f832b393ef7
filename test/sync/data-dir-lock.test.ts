/**
 * One process per data dir, with the real, built CLI (issue #14, item 4): a
 * second `vakt server` / `vakt serve`, `vakt server --bootstrap` and
 * `vakt restore` are refused while one runs, naming the data dir and the PID
 * that holds it; after kill -9 of the holder a new one starts with no clean-up
 * and the data is there.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../db/store.js';
import { V } from '../server/helpers.js';
import { launch, runToEnd, stop, useBuiltCli } from './cli-helpers.js';
import { tempDir } from './helpers.js';

useBuiltCli();

const SERVER_READY = /listening on (http:\/\/127\.0\.0\.1:\d+)/;
const SERVE_READY = /(http:\/\/127\.0\.0\.1:\d+)\/#k=/;

/** The PID a refusal names. */
function holderPid(message: string, dataDir: string): number {
  const m = new RegExp(`the data dir ${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is in use by process (\\d+) `).exec(message);
  expect(m, message).not.toBeNull();
  return Number(m![1]);
}

const parentOf = (pid: number) => Number(/\nPPid:\s*(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);

function waitForExit(pid: number): Promise<void> {
  return new Promise((resolve) => {
    const poll = () => {
      try {
        process.kill(pid, 0);
        setTimeout(poll, 50);
      } catch {
        resolve();
      }
    };
    poll();
  });
}

describe.runIf(process.platform === 'linux')('one process per data dir', () => {
  it('vakt server: a second server and --bootstrap are refused while it runs; after kill -9 a new one starts with the data', async () => {
    const dir = tempDir('vakt-lock-server-');
    const first = await launch(['server', '--data-dir', dir, '--port', '0'], /listening on (http:\/\/127\.0\.0\.1:\d+)[\s\S]*ADMIN TOKEN: (\S+)\n/);
    const adminToken = first.match[2] as string;
    let server = first;
    try {
      const second = await runToEnd(['server', '--data-dir', dir, '--port', '0']);
      expect(second.code, second.err).toBe(1);
      const pid = holderPid(second.err, dir);
      // the holder is the server process that `vakt server` runs
      expect(parentOf(pid)).toBe(first.child.pid);
      expect(second.err).toMatch(/\(vakt server, since \d{4}-/);

      const boot = await runToEnd(['server', '--data-dir', dir, '--port', '0', '--bootstrap', '--tenant', 'second']);
      expect(boot.code, boot.err).toBe(1);
      expect(holderPid(boot.err, dir)).toBe(pid);
      expect(boot.err).toMatch(/--bootstrap cannot create a tenant while a server runs on this data dir: stop the server \(PID \d+\)/);
      expect(boot.out).not.toMatch(/ADMIN TOKEN/);

      // kill -9 the process holding the lock: a new server starts on the same dir, nothing to clean up
      process.kill(pid, 'SIGKILL');
      await waitForExit(pid);
      await stop(first.child);
      server = await launch(['server', '--data-dir', dir, '--port', '0'], SERVER_READY);
      expect(server.out()).not.toMatch(/ADMIN TOKEN/);
      const code = await fetch(`${server.match[1]}/v1/admin/enrolment-codes`, {
        method: 'POST',
        headers: { ...V, authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ userName: 'Kari', role: 'duty_officer' }),
      });
      expect(code.status).toBe(201);
    } finally {
      await stop(first.child);
      await stop(server.child);
    }
  }, 180_000);

  it('vakt serve: a second serve and vakt restore are refused while it runs; after kill -9 a new one starts', async () => {
    const dir = tempDir('vakt-lock-serve-');
    // a backup to try to restore
    const store = openStore({ dataDir: dir, clock: { now: () => Date.now() } });
    const backup = store.backup();
    store.close();
    let serve = await launch(['serve', '--data-dir', dir], SERVE_READY);
    try {
      const pid = serve.child.pid as number;
      const second = await runToEnd(['serve', '--data-dir', dir]);
      expect(second.code, second.err).toBe(1);
      expect(second.err).toMatch(/^vakt serve: the data dir /m);
      expect(holderPid(second.err, dir)).toBe(pid);
      expect(second.err).toMatch(/\(vakt serve, since /);

      const restore = await runToEnd(['restore', backup, '--data-dir', dir]);
      expect(restore.code, restore.err).toBe(1);
      expect(holderPid(restore.err, dir)).toBe(pid);
      expect(restore.err).toMatch(/Nothing was changed/);

      serve.child.kill('SIGKILL');
      await waitForExit(pid);
      serve = await launch(['serve', '--data-dir', dir], SERVE_READY);
      expect(serve.child.pid).not.toBe(pid);
      expect(JSON.parse(readFileSync(join(dir, 'vakt.lock.json'), 'utf8'))).toMatchObject({ pid: serve.child.pid, what: 'vakt serve' });
    } finally {
      await stop(serve.child);
    }
  }, 180_000);
});
