/**
 * A start that backs up and migrates an existing store takes seconds on a big one (issue 19), and the
 * shells print their URL only once the store is open: the person is told the app is updating its data
 * first. The store worker says so before the backup; the services log it (`vakt serve` on stderr).
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { StoreClient } from '../../db/client.js';
import { migrateTo } from '../../db/migrate.js';
import { LATEST_VERSION } from '../../db/migrations/index.js';
import type { Upgrading } from '../../db/store.js';
import { createServices } from '../../main/app/services.js';
import { MemoryNotifier } from '../../main/notify/notifier.js';
import { updatingPage } from '../../main/hosts/electron/updating.js';
import { cleanupTempDirs, T0, tempDir } from './helpers.js';

afterEach(cleanupTempDirs);

/** A data dir whose store is at the version before the latest. */
function olderStore(): string {
  const dataDir = tempDir('vakt-upgrade-notice-');
  const db = new Database(join(dataDir, 'vakt.db'));
  migrateTo(db, LATEST_VERSION - 1);
  db.close();
  return dataDir;
}

it('the store worker tells of a backup and migrations before it takes them, and only then', async () => {
  const clock = new ManualClock(T0);
  const dataDir = olderStore();
  const told: Upgrading[] = [];
  let client = await StoreClient.open({ dataDir, clock, machineId: 'm', onUpgrade: (u) => told.push(u) });
  expect(told).toEqual([{ from: LATEST_VERSION - 1, to: LATEST_VERSION }]);
  expect(client.openedInfo.version).toBe(LATEST_VERSION);
  await client.close();
  // At the latest schema, and a new store: nothing to tell.
  client = await StoreClient.open({ dataDir, clock, machineId: 'm', onUpgrade: (u) => told.push(u) });
  await client.close();
  client = await StoreClient.open({ dataDir: tempDir(), clock, machineId: 'm', onUpgrade: (u) => told.push(u) });
  await client.close();
  expect(told).toHaveLength(1);
});

it("the app's services log it, before the store is open (vakt serve prints it on stderr)", async () => {
  const dataDir = olderStore();
  const logged: string[] = [];
  const services = await createServices({ clock: new ManualClock(T0), notifier: new MemoryNotifier(), dataDir, host: 'browser', clockWatch: false, integrity: false, log: (m) => logged.push(m) });
  await services.dispose();
  expect(logged[0]).toBe(`Vakt: updating the data of ${dataDir} from schema ${LATEST_VERSION - 1} to ${LATEST_VERSION}; a copy of it as it was goes to its backups folder while the app runs`);
});

it('the services hand it to the host before the store opens (Electron shows a window saying the app is updating its data)', async () => {
  const dataDir = olderStore();
  const told: Array<Upgrading & { opened: boolean }> = [];
  let opened = false;
  const services = await createServices({
    clock: new ManualClock(T0),
    notifier: new MemoryNotifier(),
    dataDir,
    host: 'electron',
    clockWatch: false,
    integrity: false,
    onUpgrade: (u) => told.push({ ...u, opened }),
  });
  opened = true;
  await services.dispose();
  expect(told).toEqual([{ from: LATEST_VERSION - 1, to: LATEST_VERSION, opened: false }]);
  const page = decodeURIComponent(updatingPage(told[0] as Upgrading));
  expect(page).toContain(`Updating your data to this version (schema ${LATEST_VERSION - 1} to ${LATEST_VERSION})`);
  // text only: a CSP without script, and no script in it
  expect(page).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  expect(page).not.toMatch(/<script/i);
});
