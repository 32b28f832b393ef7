import { LATEST_VERSION } from '../../db/migrate.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { op, StoreClient } from '../../db/client.js';
import { workerEntry } from '../../db/worker-entry.js';
import { DatabaseCorruptError, NotFoundError, ValidationError } from '../../db/errors.js';
import { cleanupTempDirs, sampleContract, T0, tempDir } from './helpers.js';

afterEach(cleanupTempDirs);

describe('StoreClient (worker thread)', () => {
  it('resolves the worker entry for .ts (tsx loader) and compiled .js', () => {
    const e = workerEntry();
    expect(e.url.pathname).toMatch(/db\/worker\.ts$/);
    expect(e.bootstrap).toMatch(/tsx/);
  });

  it("serves the repository API asynchronously with the caller's clock, and re-throws errors with their class", async () => {
    const clock = new ManualClock(T0);
    const slow: string[] = [];
    const client = await StoreClient.open({ dataDir: tempDir(), clock, machineId: 'm', supportCodeLogN: 10, slowQueryMs: 0, onSlow: (p) => slow.push(p) });
    try {
      const customer = await client.customers.createCustomer({ name: 'Ærø Energi' });
      expect(customer.createdAt).toBe(T0);
      const contract = await client.customers.createContract(sampleContract(customer.id));
      expect(await client.customers.verifySupportCode(contract.id, 'ZX-4471')).toBe(true);
      clock.advance(5000);
      const t = await client.tickets.register({ customerId: customer.id, contractId: contract.id, channel: 'phone', description: 'Nede', reporterPhone: '12345678' });
      expect(t.createdAt).toBe(T0 + 5000);
      expect((await client.tickets.byCaseNumber(t.caseNumber))?.id).toBe(t.id);
      expect((await client.tickets.queue({ limit: 10 })).items).toHaveLength(1);
      expect(await client.tickets.search('aero')).toHaveLength(0);
      expect((await client.tickets.search('nede'))[0]?.ticket.id).toBe(t.id);
      const bad = await client.tickets.register({ customerId: customer.id, contractId: contract.id, channel: 'phone' }).catch((e: unknown) => e);
      expect(bad).toBeInstanceOf(ValidationError);
      expect((bad as ValidationError).path).toBe('ticket.intake.fault_description');
      expect((bad as Error).message).toMatch(/requires fault_description/);
      await expect(client.notifications.ack('nope')).rejects.toBeInstanceOf(NotFoundError);
      await expect(client.call('tickets.nope')).rejects.toThrow(/unknown store method/);
      expect((await client.checkpoint()).busy).toBe(0);
      expect(await client.quickCheck()).toEqual(['ok']);
      expect(slow).toContain('tickets.register');
      expect(client.openedInfo.version).toBe(LATEST_VERSION);
    } finally {
      await client.close();
    }
    await expect(client.tickets.get('x')).rejects.toThrow(/closed/);
  });

  it('many concurrent calls are answered, each to its caller', async () => {
    const clock = new ManualClock(T0);
    const client = await StoreClient.open({ dataDir: tempDir(), clock, machineId: 'm' });
    try {
      const c = await client.customers.createCustomer({ name: 'X' });
      const tickets = await Promise.all(Array.from({ length: 50 }, (_, i) => client.tickets.register({ customerId: c.id, channel: 'web', title: `T${i}` })));
      expect(tickets.map((t) => t.title)).toEqual(tickets.map((_, i) => `T${i}`));
      expect(new Set(tickets.map((t) => t.caseNumber)).size).toBe(50);
    } finally {
      await client.close();
    }
  });

  it("open failures arrive as the store's error class", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'vakt.db'), 'garbage'.repeat(1000));
    await expect(StoreClient.open({ dataDir: dir, clock: new ManualClock(T0) })).rejects.toBeInstanceOf(DatabaseCorruptError);
  });

  it('runs from the built dist/db/worker.js too (the bundled worker)', async () => {
    const dist = new URL('../../dist/db/worker.js', import.meta.url);
    const { existsSync } = await import('node:fs');
    if (!existsSync(dist)) return; // built by `node scripts/build.mjs`
    const client = await StoreClient.open({ dataDir: tempDir(), clock: new ManualClock(T0), machineId: 'm', workerUrl: dist });
    try {
      expect((await client.info()).version).toBe(LATEST_VERSION);
    } finally {
      await client.close();
    }
  });
});

describe('StoreClient close', () => {
  it('runs a batch of repository calls in one transaction: all are stored, or (one throws) none is and its error is answered', async () => {
    const client = await StoreClient.open({ dataDir: tempDir(), clock: new ManualClock(T0), machineId: 'm', supportCodeLogN: 10 });
    try {
      const customer = await client.customers.createCustomer({ name: 'Ærø Energi' });
      const contract = await client.customers.createContract(sampleContract(customer.id));
      const t = await client.tickets.register({ customerId: customer.id, contractId: contract.id, channel: 'phone', description: 'Nede', reporterPhone: '12345678' });
      const pending = (await client.outbox.pending()).length;
      const bad = client.batch([
        op('tickets', 'appendEvent', t.id, { type: 'note', data: { text: 'first' } }),
        op('tickets', 'appendEvent', t.id, { type: 'policy_changed', data: { policy: 'gold' } }),
      ]);
      await expect(bad).rejects.toBeInstanceOf(ValidationError);
      expect((await client.tickets.events(t.id)).map((e) => e.type)).toEqual(['created']);
      expect((await client.outbox.pending()).length).toBe(pending);
      const [events] = (await client.batch([op('tickets', 'appendEvent', t.id, { type: 'note', data: { text: 'second' } }), op('tickets', 'setSchedule', t.id, { nextDueAt: T0 + 60_000 })])) as [
        unknown[],
      ];
      expect(events).toHaveLength(1);
      expect((await client.tickets.get(t.id))?.nextDueAt).toBe(T0 + 60_000);
      await expect(client.batch([{ path: 'close', args: [] }])).rejects.toThrow(/unknown store method "close"/);
    } finally {
      await client.close();
    }
  });

  it('shares one close between concurrent callers', async () => {
    const dataDir = tempDir();
    const client = await StoreClient.open({ dataDir, clock: new ManualClock(T0), machineId: 'm' });
    await Promise.race([Promise.all([client.close(), client.close()]), new Promise((_, reject) => setTimeout(() => reject(new Error('close hung')), 10_000))]);
    await expect(client.info()).rejects.toThrow(/closed/);
  });
});
