/**
 * Issue 14, the desk: one ticket whose SLA cannot be computed never stops the
 * others; a handler that answers an error has stored nothing, one that stored
 * something answers success; a contract edit is checked by the same function
 * that saves it. Faults are real: a contract changed under the app (as a pull
 * or an old store leaves it), SQLite triggers that make one write fail.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createServices } from '../../main/app/services.js';
import { exampleContract, servicesPerTest } from '../helpers/services.js';

const services = servicesPerTest();
const { call, fail } = services;

async function importExample(file = exampleContract()) {
  const r = await call('desk.importContract', { file });
  expect(r.imported).toBe(true);
  return r as { contractId: string; customerId: string };
}

async function register(policy: string, description = 'router down') {
  const { id: contractId } = (await call('desk.lookup', { query: 'Nordhavn' })).customers[0]!.contracts[0]!;
  const c = await call('desk.contract', { contractId });
  return (
    await call('desk.register', {
      customerId: c.customerId,
      contractId,
      policy,
      channel: 'phone',
      authorisedBy: 'contact',
      contactId: c.contacts[0]!.id,
      description,
      intake: { site_address: 'Kajgade 4' },
    })
  ).ticket as { id: string; caseNumber: string; nextDueAt: number | null };
}

/** A second connection to the app's store (WAL): what a pull or an old store leaves, and injected faults. */
function raw<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(join(services.t.dataDir, 'vakt.db'));
  try {
    db.pragma('busy_timeout = 5000');
    return fn(db);
  } finally {
    db.close();
  }
}
const count = (sql: string) => raw((db) => (db.prepare(sql).get() as { n: number }).n);

async function restart() {
  const parts = services.t.services.parts;
  await services.t.services.dispose();
  services.t.services = await createServices(parts);
}

describe('desk: a contract edit that open tickets cannot follow', () => {
  it('is refused by updateContract naming the policy and how many tickets use it, reported by checkContractEdit, and nothing is stored', async () => {
    const { contractId } = await importExample();
    await register('high', 'one');
    await register('high', 'two');
    await register('normal', 'three');
    const c = await call('desk.contract', { contractId });
    const { high: _gone, ...policies } = c.policySet.policies;
    const edit = { calendars: c.policySet.calendars, policies };
    const outbox = count('SELECT count(*) AS n FROM outbox');

    const check = await call('desk.checkContractEdit', { contractId, policySet: edit });
    expect(check.issues).toEqual([expect.objectContaining({ path: 'policies.high', message: expect.stringMatching(/policy "high" is used by 2 open tickets/) })]);

    const err = await fail('desk.updateContract', { contractId, policySet: edit, version: c.version });
    expect(err.code).toBe('invalid_request');
    expect(err.path).toBe('policySet.policies.high');
    expect(err.message).toMatch(/policy "high" is used by 2 open tickets/);
    expect(count('SELECT count(*) AS n FROM outbox')).toBe(outbox);
    const after = await call('desk.contract', { contractId });
    expect(after.version).toBe(c.version);
    expect(Object.keys(after.policySet.policies)).toContain('high');

    // the device still starts and serves its tickets
    await restart();
    expect((await call('desk.queue', {})).items).toHaveLength(3);
  });

  it('checkContractEdit reports every problem updateContract then hits (here: the default policy removed)', async () => {
    const { contractId } = await importExample();
    const c = await call('desk.contract', { contractId });
    const { normal: _gone, ...policies } = c.policySet.policies;
    const edit = { calendars: c.policySet.calendars, policies };
    const check = await call('desk.checkContractEdit', { contractId, policySet: edit });
    expect(check.issues.map((i: { message: string }) => i.message).join('\n')).toMatch(/default policy "normal" must stay/);
    const err = await fail('desk.updateContract', { contractId, policySet: edit, version: c.version });
    expect(err.message).toMatch(/default policy "normal" must stay/);
  });
});

describe('desk: a ticket whose SLA cannot be computed', () => {
  it('shows "cannot compute SLA" in the queue and on its page, raises an alert, and the rest goes on (also after a restart)', async () => {
    const { contractId } = await importExample();
    const broken = await register('high', 'broken one');
    const fine = await register('normal', 'fine one');
    // A contract version without "high" (as a pull or an old store can leave it).
    raw((db) => db.prepare(`UPDATE contracts SET policy_set = json_remove(policy_set, '$.policies.high'), version = version + 1 WHERE id = ?`).run(contractId));

    const { items } = await call('desk.queue', {});
    const byId = new Map(items.map((t: any) => [t.id, t]));
    expect((byId.get(broken.id) as any).slaError).toMatch(/high/);
    expect((byId.get(fine.id) as any).slaError).toBeNull();
    expect((byId.get(fine.id) as any).targets.length).toBeGreaterThan(0);

    const page = await call('desk.ticket', { id: broken.id });
    expect(page.slaError).toMatch(/high/);
    expect(page.sla).toBeNull();

    // acting on it still works (the event is stored, the answer is success)
    const noted = await call('desk.act', { ticketId: broken.id, action: { type: 'note', text: 'customer called again' } });
    expect(noted.events.some((e: any) => e.type === 'note')).toBe(true);
    const alerts = (await call('alerts.list', {})).active as { ticketId: string; kind: string; text: string }[];
    expect(alerts).toContainEqual(expect.objectContaining({ ticketId: broken.id, kind: 'sla_unavailable', text: expect.stringMatching(/^cannot compute SLA: .*high/) }));

    await restart();
    expect((await call('desk.queue', {})).items).toHaveLength(2);
    expect((await call('desk.ticket', { id: fine.id })).sla).not.toBeNull();
    expect((await call('reports.sla', { contractId, month: '2026-03' })).contractId).toBe(contractId);
  });

  it('desk.register answers an error and stores nothing when the contract SLA cannot be computed', async () => {
    const { contractId } = await importExample();
    raw((db) => db.prepare(`UPDATE contracts SET policy_set = json_set(policy_set, '$.calendars.dk-office.timezone', 'Mars/Olympus'), version = version + 1 WHERE id = ?`).run(contractId));
    const before = count('SELECT count(*) AS n FROM tickets');
    const c = await call('desk.contract', { contractId });
    const err = await fail('desk.register', {
      customerId: c.customerId,
      contractId,
      policy: 'normal',
      channel: 'phone',
      authorisedBy: 'contact',
      contactId: c.contacts[0]!.id,
      description: 'x',
      intake: { site_address: 'Kajgade 4' },
    });
    expect(err.code).toBe('invalid_request');
    expect(err.path).toBe('contractId');
    expect(err.message).toMatch(/cannot compute SLA/);
    expect(count('SELECT count(*) AS n FROM tickets')).toBe(before);
    // the intake's preview says the same, not a 500
    const preview = await fail('desk.preview', { contractId, policy: 'normal' });
    expect(preview).toMatchObject({ code: 'invalid_request', path: 'contractId', message: expect.stringMatching(/cannot compute SLA/) });
  });
});

describe('desk: one transaction per handler', () => {
  it('desk.act stores its event together with the schedule: when the schedule write fails, nothing is stored', async () => {
    await importExample();
    const t = await register('normal');
    const events = count('SELECT count(*) AS n FROM ticket_events');
    raw((db) => db.exec(`CREATE TRIGGER fail_schedule BEFORE UPDATE OF next_due_at ON tickets BEGIN SELECT RAISE(ABORT, 'injected fault'); END`));
    const err = await fail('desk.act', { ticketId: t.id, action: { type: 'respond', text: 'on it' } });
    expect(err.code).toBe('internal');
    expect(count('SELECT count(*) AS n FROM ticket_events')).toBe(events);
  });

  it('desk.register stores the ticket with its deadline in one write (no later schedule update that can fail)', async () => {
    await importExample();
    raw((db) => db.exec(`CREATE TRIGGER fail_schedule BEFORE UPDATE OF next_due_at ON tickets BEGIN SELECT RAISE(ABORT, 'injected fault'); END`));
    const t = await register('normal');
    expect(t.nextDueAt).toBeGreaterThan(0);
    expect(raw((db) => db.prepare('SELECT next_due_at AS d FROM tickets WHERE id = ?').get(t.id))).toEqual({ d: t.nextDueAt });
  });

  it('desk.importContract writes the customer, the contract and its contacts together: a failing contract write leaves no customer', async () => {
    raw((db) => db.exec(`CREATE TRIGGER fail_contract BEFORE INSERT ON contracts BEGIN SELECT RAISE(ABORT, 'injected fault'); END`));
    await fail('desk.importContract', { file: exampleContract() });
    expect(count('SELECT count(*) AS n FROM customers')).toBe(0);
    expect(count('SELECT count(*) AS n FROM outbox')).toBe(0);
    raw((db) => db.exec('DROP TRIGGER fail_contract'));
    await importExample();
    expect(count('SELECT count(*) AS n FROM contract_contacts')).toBe(exampleContract().contacts.length);
  });

  it('desk.importContract rejects a reserved id (a calendar "__proto__") and stores nothing', async () => {
    const file = exampleContract();
    file.calendars = JSON.parse(JSON.stringify(file.calendars).replace('"dk-office":', '"__proto__":'));
    for (const p of Object.values(file.policies) as { calendar: string }[]) if (p.calendar === 'dk-office') p.calendar = '__proto__';
    const r = await call('desk.importContract', { file });
    expect(r.imported).toBe(false);
    expect(!r.imported && r.issues.map((i) => i.path).join(' ')).toMatch(/__proto__/);
    expect(count('SELECT count(*) AS n FROM contracts')).toBe(0);
  });

  it('desk.register answers an error and stores nothing for a stored contract with a calendar "__proto__" (no 500 after storing)', async () => {
    const { contractId } = await importExample();
    // What an import of a file with a calendar "__proto__" stored before checkContract refused it: the
    // policies name "__proto__", and the calendar itself was lost (assigning obj["__proto__"] sets the prototype).
    raw((db) =>
      db.prepare(`UPDATE contracts SET policy_set = replace(json_remove(policy_set, '$.calendars.dk-office'), '"dk-office"', '"__proto__"'), version = version + 1 WHERE id = ?`).run(contractId),
    );
    const c = await call('desk.contract', { contractId });
    const req = {
      customerId: c.customerId,
      contractId,
      policy: 'normal',
      channel: 'phone',
      authorisedBy: 'contact',
      contactId: c.contacts[0]!.id,
      description: 'x',
      intake: { site_address: 'Kajgade 4' },
    };
    const err = await fail('desk.register', req);
    expect(err.code).toBe('invalid_request');
    expect(err.message).toMatch(/cannot compute SLA/);
    expect(count('SELECT count(*) AS n FROM tickets')).toBe(0);
  });
});

describe('desk: instants entered on the device', () => {
  it('are not before the case nor after the device clock plus the allowed skew; the error names the field', async () => {
    await importExample();
    const t = await register('normal');
    const now = services.t.clock.now();
    const year = 365 * 24 * 3_600_000;
    const events = count('SELECT count(*) AS n FROM ticket_events');
    const late = await fail('billing.addTimeEntry', { ticketId: t.id, kind: 'remote', start: now + year, end: now + year + 3_600_000 });
    expect(late.path).toBe('event.data.start');
    expect(late.message).toMatch(/in the future/);
    const visit = await fail('billing.addVisit', { ticketId: t.id, arrivedAt: now + year });
    expect(visit.path).toBe('event.at');
    expect(visit.message).toMatch(/in the future/);
    // an instant outside the supported range is refused by the request's schema already, at its field
    expect((await fail('billing.addTimeEntry', { ticketId: t.id, kind: 'remote', start: 1000, end: 3_601_000 })).path).toBe('start');
    const early = await fail('billing.addVisit', { ticketId: t.id, arrivedAt: now - 24 * 3_600_000 });
    expect(early.path).toBe('arrivedAt');
    expect(early.message).toMatch(/before the case was created/);
    expect(count('SELECT count(*) AS n FROM ticket_events')).toBe(events);
    // within the skew (MAX_CLOCK_AHEAD_MS: a device clock behind the server's) it is taken
    await call('billing.addTimeEntry', { ticketId: t.id, kind: 'remote', start: now + 60_000, end: now + 120_000 });
  });
});
