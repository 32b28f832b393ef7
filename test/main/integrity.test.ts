/**
 * The full integrity check is off the start's path (issue 19): a page damaged where the start does not
 * read opens fine, and the background check (quick_check in a thread of its own) finds it and reports
 * it: the `app.integrity` push and method say "damaged", with the problems and the backups to restore.
 * A damaged header still stops the open, and an intact file is reported ok.
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import type { IntegrityStatus } from '../../core/api/contract.js';
import { DatabaseCorruptError } from '../../db/errors.js';
import { openStore } from '../../db/store.js';
import { createServices } from '../../main/app/services.js';
import type { Services } from '../../main/app/services.js';
import { MemoryNotifier } from '../../main/notify/notifier.js';
import { sampleContract } from '../db/helpers.js';
import { tempDir } from '../helpers/services.js';

const T0 = Date.UTC(2026, 2, 30, 7, 0);
const dirs: { cleanup(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

/** A data dir with 300 tickets and a backup; returns the root page and page size of the tickets_customer index. */
function seededDir() {
  const tmp = tempDir();
  dirs.push(tmp);
  const clock = new ManualClock(T0);
  const store = openStore({ dataDir: tmp.dir, clock, supportCodeLogN: 10 });
  const customer = store.customers.createCustomer({ name: 'Fjordkraft A/S' });
  const contract = store.customers.createContract(sampleContract(customer.id, { intakeFields: [] }));
  for (let i = 0; i < 300; i++) store.tickets.register({ customerId: customer.id, contractId: contract.id, channel: 'phone', title: `Line ${i} down` });
  const backup = store.backup();
  const root = (store.db.prepare(`SELECT rootpage FROM sqlite_schema WHERE name = 'tickets_customer'`).get() as { rootpage: number }).rootpage;
  const pageSize = store.db.pragma('page_size', { simple: true }) as number;
  store.close();
  return { dir: tmp.dir, clock, backup, root, pageSize };
}

/** Starts the services and waits for the first background check's report. */
async function startAndReport(dir: string, clock: ManualClock): Promise<{ services: Services; pushed: IntegrityStatus }> {
  let resolve!: (s: IntegrityStatus) => void;
  const reported = new Promise<IntegrityStatus>((r) => (resolve = r));
  const services = await createServices({ clock, notifier: new MemoryNotifier(), dataDir: dir, host: 'browser', timezone: 'Europe/Copenhagen', clockWatch: false });
  services.events.on((e) => e.name === 'app.integrity' && resolve(e.payload as IntegrityStatus));
  if (services.integrity?.status.state !== 'pending') resolve(services.integrity!.status);
  return { services, pushed: await reported };
}

it('a page damaged where the start does not read: the app starts, the background check finds it and reports it with the backups', async () => {
  const { dir, clock, backup, root, pageSize } = seededDir();
  const file = join(dir, 'vakt.db');
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (root - 1) * pageSize);
  closeSync(fd);

  const { services, pushed } = await startAndReport(dir, clock);
  try {
    expect(pushed).toMatchObject({ state: 'damaged', file, backups: [backup], checkedAt: T0 });
    expect(pushed.problems.join('\n')).toMatch(/page|malformed|tree/i);
    const r = await services.dispatch('app.integrity', {});
    expect(r).toEqual({ ok: true, result: pushed });
    // the queue is still served: the person can keep working while they arrange the restore
    expect((await services.dispatch('desk.queue', {})).ok).toBe(true);
  } finally {
    await services.dispose();
  }
});

it('an intact file is reported ok after start; a damaged header still stops the open, the file kept as it is', async () => {
  const { dir, clock } = seededDir();
  const { services, pushed } = await startAndReport(dir, clock);
  expect(pushed).toMatchObject({ state: 'ok', problems: [], checkedAt: T0 });
  await services.dispose();

  const file = join(dir, 'vakt.db');
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.from('SQLite format 2\u0000'), 0, 16, 0);
  closeSync(fd);
  const damaged = readFileSync(file);
  await expect(createServices({ clock, notifier: new MemoryNotifier(), dataDir: dir, host: 'browser', clockWatch: false })).rejects.toBeInstanceOf(DatabaseCorruptError);
  expect(readFileSync(file).equals(damaged)).toBe(true);
});
