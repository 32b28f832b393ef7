/**
 * The database, its WAL and SHM, the case-number sidecar and the backups are
 * readable by the owner only (0600 in a 0700 folder), whatever the umask; a
 * data dir made by an older Vakt (0755 / 0644) is tightened when it is opened.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { backupDataDir, restoreDataDir } from '../../db/backup.js';
import { openStore } from '../../db/store.js';
import { cleanupTempDirs, seeded, T0, tempDir } from './helpers.js';

const posix = process.platform !== 'win32';
const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);

let umask: number | null = null;
afterEach(() => {
  if (umask !== null) process.umask(umask);
  umask = null;
  cleanupTempDirs();
});

describe.runIf(posix)('file permissions of a data dir', () => {
  it('creates the folder 0700 and the database, WAL, SHM, sidecar and backups 0600, with a permissive umask', () => {
    umask = process.umask(0o022);
    const dataDir = join(tempDir(), 'fresh');
    const { store, customer } = seeded({ dataDir });
    store.tickets.register({ customerId: customer.id, channel: 'phone' });
    expect(mode(dataDir)).toBe('700');
    for (const f of ['vakt.db', 'vakt.db-wal', 'vakt.db-shm', 'case-numbers.json']) {
      expect(existsSync(join(dataDir, f)), f).toBe(true);
      expect(mode(join(dataDir, f)), f).toBe('600');
    }
    const b1 = store.backup();
    store.close();
    expect(mode(join(dataDir, 'backups'))).toBe('700');
    expect(mode(b1)).toBe('600');
    const b2 = backupDataDir(dataDir, new ManualClock(T0 + 1000));
    expect(mode(b2)).toBe('600');
    const to = join(tempDir(), 'elsewhere', 'copy.db');
    expect(mode(backupDataDir(dataDir, new ManualClock(T0 + 2000), to))).toBe('600');
    expect(mode(join(to, '..'))).toBe('700');
  });

  it('a restored database and the copy of the replaced one are 0600, even from a 0644 backup', () => {
    umask = process.umask(0o022);
    const { store, dataDir } = seeded();
    const b = store.backup();
    store.close();
    chmodSync(b, 0o644);
    const r = restoreDataDir(b, dataDir, new ManualClock(T0 + 5000));
    expect(mode(join(dataDir, 'vakt.db'))).toBe('600');
    expect(mode(r.previousKeptAt as string)).toBe('600');
  });

  it('tightens a data dir of an older Vakt (0755 folders, 0644 files) when it is opened', () => {
    const { store, dataDir } = seeded();
    store.backup();
    store.close();
    writeFileSync(join(dataDir, 'vakt.db-wal'), '');
    writeFileSync(join(dataDir, 'vakt.db-shm'), '');
    mkdirSync(join(dataDir, 'attachments'), { recursive: true });
    for (const d of [dataDir, join(dataDir, 'backups'), join(dataDir, 'attachments')]) chmodSync(d, 0o755);
    const files = [...readdirSync(dataDir).map((n) => join(dataDir, n)), ...readdirSync(join(dataDir, 'backups')).map((n) => join(dataDir, 'backups', n))].filter((p) => statSync(p).isFile());
    for (const f of files) chmodSync(f, 0o644);
    expect(files.length).toBeGreaterThanOrEqual(5);

    // a file that is not Vakt's is left as it is
    writeFileSync(join(dataDir, 'notes.txt'), 'mine');
    chmodSync(join(dataDir, 'notes.txt'), 0o644);

    openStore({ dataDir, clock: new ManualClock(T0), machineId: 'test-machine' }).close();
    expect(mode(dataDir)).toBe('700');
    expect(mode(join(dataDir, 'backups'))).toBe('700');
    for (const f of files) if (existsSync(f)) expect(mode(f), f).toBe('600');
    expect(mode(join(dataDir, 'notes.txt'))).toBe('644');
  });

  it('never closes a shared sticky folder (such as /tmp) given as the data dir', () => {
    const shared = join(tempDir(), 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    openStore({ dataDir: shared, clock: new ManualClock(T0), machineId: 'test-machine' }).close();
    expect((statSync(shared).mode & 0o7777).toString(8)).toBe('1777');
    expect(mode(join(shared, 'vakt.db'))).toBe('600');
  });
});
