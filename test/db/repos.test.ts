import { afterEach, describe, expect, it } from 'vitest';
import { parseCaseNumber } from '../../core/ids/case-number.js';
import { parseInput } from '../../db/context.js';
import { ConflictError, NotFoundError, ValidationError } from '../../db/errors.js';
import { contractInput } from '../../db/repos/customers.js';
import { eventData, registerInput } from '../../db/repos/tickets.js';
import { foldForSearch, toFtsQuery } from '../../db/search.js';
import { catchErr, cleanupTempDirs, sampleContract, seeded, testStore } from './helpers.js';

afterEach(cleanupTempDirs);

describe('customers and contracts', () => {
  it('stores the contract, its policy set, rate card, intake fields and contacts; the support code only as a hash', () => {
    const { store, contract } = seeded();
    expect(contract).toMatchObject({ agreementNumber: 'SA0009858', defaultPolicy: 'normal', hasSupportCode: true, intakeFields: ['fault_description', 'mobile_number'] });
    expect(contract.policySet.policies).toHaveProperty('high');
    expect(contract.rateCard).toEqual({ hourly: 950, currency: 'DKK' });
    const raw = store.db.prepare('SELECT support_code_hash FROM contracts').get() as { support_code_hash: string };
    expect(raw.support_code_hash).toMatch(/^scrypt\$10\$8\$1\$/);
    expect(raw.support_code_hash).not.toContain('ZX-4471');
    expect(JSON.stringify(store.outbox.pending())).not.toContain('ZX-4471');
    expect(store.customers.verifySupportCode(contract.id, 'ZX-4471')).toBe(true);
    expect(store.customers.verifySupportCode(contract.id, 'zx-4471')).toBe(false);
    store.customers.setSupportCode(contract.id, 'NEW-CODE');
    expect(store.customers.verifySupportCode(contract.id, 'ZX-4471')).toBe(false);
    expect(store.customers.verifySupportCode(contract.id, 'NEW-CODE')).toBe(true);
    expect(store.customers.contactsByPhone('72120000')[0]).toMatchObject({ agreementNumber: 'SA0009858', contact: { name: 'Søren Ærø' } });
    store.close();
  });

  it('rejects bad input saying what and where, and keeps agreement numbers unique', () => {
    const { store, customer } = seeded();
    expect(catchErr(() => store.customers.createContract(sampleContract(customer.id)))).toBeInstanceOf(ConflictError);
    // the shape is checked where the input enters, with the repo's schema (docs/architecture.md "Where input is validated")
    const create = (raw: unknown) => store.customers.createContract(parseInput(contractInput, raw, 'contract'));
    const e1 = catchErr(() => create(sampleContract(customer.id, { agreementNumber: 'SA 1', contacts: [] })));
    expect(e1).toBeInstanceOf(ValidationError);
    expect((e1 as ValidationError).path).toBe('contract.agreementNumber');
    const e2 = catchErr(() => create(sampleContract(customer.id, { agreementNumber: 'SA2', contacts: [{ name: 'X', phone: 'call me' }] })));
    expect(e2.message).toMatch(/^contract\.contacts\[0\]\.phone: is not a phone number/);
    const e3 = catchErr(() => create(sampleContract(customer.id, { agreementNumber: 'SA3', policySet: { calendars: {}, policies: { p: { calendar: 'nope', targets: {} } } }, defaultPolicy: null })));
    expect(e3.message).toMatch(/contract\.policySet\.policies\.p\.calendar: calendar "nope" is not in calendars/);
    const e4 = catchErr(() => store.customers.createContract(sampleContract('no-such', { agreementNumber: 'SA4' })));
    expect(e4.message).toMatch(/contract\.customerId: customer no-such does not exist/);
    expect(store.db.prepare('SELECT count(*) AS n FROM contracts').get()).toEqual({ n: 1 });
    store.close();
  });
});

describe('tickets', () => {
  it('takes only a policy the contract has as its own (not "constructor", "toString", ...)', () => {
    const { store, customer, contract } = seeded();
    for (const policy of ['constructor', 'toString', '__proto__']) {
      const e = catchErr(() => store.tickets.register({ customerId: customer.id, contractId: contract.id, channel: 'phone', description: 'x', reporterPhone: '1234', policy }));
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).path).toBe('ticket.policy');
    }
    const t = store.tickets.register({ customerId: customer.id, contractId: contract.id, channel: 'phone', description: 'x', reporterPhone: '1234' });
    const e = catchErr(() => store.tickets.appendEvent(t.id, { type: 'policy_changed', data: { policy: 'constructor' } }));
    expect((e as ValidationError).path).toBe('event.data.policy');
  });

  it('refuses instants entered on the device outside the range or after the clock plus the allowed skew, naming the field', () => {
    const { store, customer, contract, clock } = seeded();
    const t = store.tickets.register({ customerId: customer.id, contractId: contract.id, channel: 'phone', description: 'x', reporterPhone: '1234' });
    const now = clock.now();
    const path = (fn: () => unknown) => (catchErr(fn) as ValidationError).path;
    expect(path(() => store.tickets.appendEvent(t.id, { type: 'note', at: now + 37 * 3_600_000, data: { text: 'x' } }))).toBe('event.at');
    expect(path(() => store.tickets.appendEvent(t.id, { type: 'note', at: 8.64e15, data: { text: 'x' } }))).toBe('event.at');
    expect(path(() => store.tickets.appendEvent(t.id, { type: 'time_entry', data: { minutes: 30, billable: true, start: now, end: 8.64e15 } }))).toBe('event.data.end');
    expect(path(() => store.tickets.appendEvent(t.id, { type: 'visit', data: { arrivedAt: 1 } }))).toBe('event.data.arrivedAt');
    expect(path(() => store.tickets.register({ customerId: customer.id, channel: 'phone', at: now + 40 * 3_600_000 }))).toBe('ticket.at');
    expect(store.tickets.events(t.id).map((e) => e.type)).toEqual(['created']);
    store.tickets.appendEvent(t.id, { type: 'note', at: now + 2 * 60_000, data: { text: 'a device clock behind the others' } });
  });

  it('registers a ticket with case number, created event and outbox mutation in one transaction', () => {
    const { store, customer, contract } = seeded();
    const t = store.tickets.register({ customerId: customer.id, contractId: contract.id, channel: 'phone', description: 'Ingen dækning', reporterPhone: '+45 22 33 44 55', customerRef: 'INC-991' });
    expect(parseCaseNumber(t.caseNumber).canonical).toBe(t.caseNumber);
    expect(t).toMatchObject({ status: 'open', policy: 'normal', channel: 'phone', customerRef: 'INC-991' });
    const events = store.tickets.events(t.id);
    expect(events.map((e) => e.type)).toEqual(['created']);
    expect(events[0]?.data).toEqual({ policy: 'normal' });
    expect(events[0]?.deviceId).toBe(store.info().deviceId);
    const m = store.outbox.pending().find((x) => x.name === 'ticket.create');
    expect(m).toMatchObject({ version: 2, status: 'pending' });
    const seqs = store.outbox.pending().map((x) => x.deviceSeq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(store.tickets.byCaseNumber(t.caseNumber.toLowerCase().replace(/-/g, ' '))?.id).toBe(t.id);
    store.close();
  });

  it("enforces the contract's intake fields and policies, writing nothing on failure", () => {
    const { store, customer, contract } = seeded();
    const before = store.outbox.counts().pending;
    const e = catchErr(() => store.tickets.register({ customerId: customer.id, contractId: contract.id, channel: 'phone', description: 'x' }));
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.message).toBe('ticket.intake.mobile_number: contract SA0009858 requires mobile_number');
    const e2 = catchErr(() => store.tickets.register({ customerId: customer.id, contractId: contract.id, channel: 'phone', description: 'x', reporterPhone: '1', policy: 'gold' }));
    expect(e2.message).toMatch(/ticket\.policy: policy "gold" is not in contract SA0009858/);
    const e3 = catchErr(() => store.tickets.register(parseInput(registerInput, { customerId: customer.id, channel: 'fax' }, 'ticket')));
    expect(e3.message).toMatch(/^ticket\.channel: /);
    expect(store.db.prepare('SELECT count(*) AS n FROM tickets').get()).toEqual({ n: 0 });
    expect(store.outbox.counts().pending).toBe(before);
    // a failed registration does not burn the sequence inside the db
    const a = store.tickets.register({ customerId: customer.id, channel: 'web' });
    expect(parseCaseNumber(a.caseNumber).sequence).toBe(1);
    store.close();
  });

  it('appends events, applies them to the ticket, and the log is append-only', () => {
    const { store, customer, contract, clock } = seeded();
    const t = store.tickets.register({ customerId: customer.id, contractId: contract.id, channel: 'phone', description: 'x', reporterPhone: '1' });
    clock.advance(60_000);
    store.tickets.appendEvent(t.id, { type: 'responded', data: {} });
    store.tickets.appendEvent(t.id, { type: 'status', data: { status: 'waiting_on_vendor' } });
    store.tickets.appendEvent(t.id, { type: 'policy_changed', data: { policy: 'high' } });
    store.tickets.appendEvent(t.id, { type: 'escalation', data: { level: 2, to: 'Telenor NOC' } });
    store.tickets.appendEvent(t.id, { type: 'time_entry', data: { minutes: 15, billable: true, activity: 'support' } });
    store.tickets.appendEvent(t.id, { type: 'visit', data: { arrivedAt: clock.now(), technician: 'Kari' } });
    const cb = store.tickets.appendEvent(t.id, {
      type: 'callback',
      data: { reached: 'Søren', channel: 'phone', text: 'Fortalt status', countsAsUpdate: true, nextCallbackAt: clock.now() + 3_600_000 },
    });
    expect(cb.map((e) => e.type)).toEqual(['callback', 'update_logged']);
    const got = store.tickets.get(t.id);
    expect(got).toMatchObject({ status: 'waiting_on_vendor', policy: 'high', escalationLevel: 2, nextCallbackAt: clock.now() + 3_600_000 });
    expect(got?.version).toBeGreaterThan(1);
    expect(store.tickets.events(t.id)).toHaveLength(9);
    expect(() => store.db.prepare(`UPDATE ticket_events SET author = 'x'`).run()).toThrow(/append-only/);
    expect(() => store.db.prepare(`DELETE FROM ticket_events`).run()).toThrow(/append-only/);
    expect(catchErr(() => store.tickets.appendEvent(t.id, { type: 'status', data: parseInput(eventData.status, { status: 'done' }, 'event.data') })).message).toMatch(/^event\.data\.status: /);
    expect(catchErr(() => store.tickets.appendEvent(t.id, { type: 'created' } as never)).message).toMatch(/unknown event type "created"/);
    expect(catchErr(() => store.tickets.appendEvent(t.id, { type: 'note', at: Date.UTC(2001, 0, 1), data: { text: 'x' } })).message).toMatch(/event\.at: is before the ticket was created/);
    // An instant outside the one supported range is refused by its rule (core/api/fields.ts), naming the field.
    expect(catchErr(() => store.tickets.appendEvent(t.id, { type: 'note', at: 1, data: { text: 'x' } })).message).toMatch(/^event\.at: must be between 2000-01-01/);
    expect(catchErr(() => store.tickets.appendEvent('nope', { type: 'note', data: { text: 'x' } }))).toBeInstanceOf(NotFoundError);
    const updated = store.tickets.update(t.id, { vendorRef: 'TN-5512', description: 'Router død' });
    expect(updated.vendorRef).toBe('TN-5512');
    expect(store.tickets.search('router').map((h) => h.ticket.id)).toEqual([t.id]);
    store.close();
  });

  it('full-text search folds æ/ø/å and accents both ways; FTS syntax in the query is inert', () => {
    const { store, customer } = seeded();
    const a = store.tickets.register({ customerId: customer.id, channel: 'phone', description: 'Søren på Ærø har ingen forbindelse på café Ålborg' });
    const b = store.tickets.register({ customerId: customer.id, channel: 'email', description: 'Printer' });
    store.tickets.appendEvent(b.id, { type: 'note', data: { text: 'Snakket med Bjørn om naïve løsning' } });
    const ids = (q: string) => store.tickets.search(q).map((h) => h.ticket.id);
    for (const q of ['Søren', 'Soren', 'SØREN', 'Ærø', 'aero', 'café', 'cafe', 'Ålborg', 'aalborg'.slice(1), 'sør']) expect(ids(q), q).toEqual([a.id]);
    expect(ids('bjorn')).toEqual([b.id]);
    expect(ids('naive losning')).toEqual([b.id]);
    expect(store.tickets.search('bjorn')[0]?.source).not.toBe('ticket');
    expect(ids('"unbalanced AND OR NEAR(')).toEqual([]);
    expect(ids('')).toEqual([]);
    expect(foldForSearch('Ærøskøbing')).toBe('AEroskobing');
    expect(toFtsQuery("Søren  o'Brien")).toBe('"Soren" "o" "Brien"*');
    store.close();
  });
});

describe('search by reporter, customer reference and case-number part (issue 15 item 4)', () => {
  it('finds a ticket by its reporter and reference, follows an edit of them, and finds a part of its case number', () => {
    const { store, customer } = seeded();
    const a = store.tickets.register({ customerId: customer.id, channel: 'phone', description: 'Mail down', reporterName: 'Søren Kjær', customerRef: 'PO-7781' });
    const b = store.tickets.register({ customerId: customer.id, channel: 'phone', description: 'Printer' });
    const ids = (q: string) => store.tickets.search(q).map((h) => h.ticket.id);
    expect(ids('soren')).toEqual([a.id]);
    expect(ids('kjaer')).toEqual([a.id]);
    expect(ids('7781')).toEqual([a.id]);
    store.tickets.update(a.id, { reporterName: 'Mette Holm' });
    expect(ids('soren')).toEqual([]);
    expect(ids('mette')).toEqual([a.id]);
    expect(ids('mail')).toEqual([a.id]);
    const seq = b.caseNumber.split('-').at(-2) as string;
    expect(store.tickets.byCaseNumberPart(seq).map((t) => t.id)).toEqual([b.id]);
    expect(store.tickets.byCaseNumberPart(seq.toLowerCase().slice(1)).map((t) => t.id)).toContain(b.id);
    expect(store.tickets.byCaseNumberPart('%_')).toEqual([]);
    expect(store.tickets.byCaseNumberPart('00')).toEqual([]);
    store.close();
  });
});

describe('notifications, outbox, settings', () => {
  it('records each alert once per (ticket, target, kind, due) and tracks shown/acked/snoozed', () => {
    const { store, customer, clock } = seeded();
    const t = store.tickets.register({ customerId: customer.id, channel: 'phone' });
    const key = { ticketId: t.id, target: 'response', kind: 'due', dueAt: clock.now() + 1000 };
    const first = store.notifications.record(key);
    const again = store.notifications.record(key);
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.notification.id).toBe(first.notification.id);
    expect(store.notifications.pending(clock.now())).toHaveLength(0);
    expect(store.notifications.pending(clock.now() + 1000)).toHaveLength(1);
    store.notifications.snooze(first.notification.id, clock.now() + 5000);
    expect(store.notifications.pending(clock.now() + 1000)).toHaveLength(0);
    expect(store.notifications.pending(clock.now() + 5000)).toHaveLength(1);
    store.notifications.markShown(first.notification.id);
    const acked = store.notifications.ack(first.notification.id);
    expect(acked.ackedAt).toBe(clock.now());
    expect(store.notifications.pending(clock.now() + 9000)).toHaveLength(0);
    expect(catchErr(() => store.notifications.ack('nope'))).toBeInstanceOf(NotFoundError);
    store.close();
  });

  it('keeps rejected mutations with their reason, and the sync state', () => {
    const { store } = seeded();
    const all = store.outbox.pending();
    const [m1, m2] = all;
    store.outbox.markApplied([m1?.id as string]);
    const r = store.outbox.markRejected(m2?.id as string, 'agreement number taken on server');
    expect(r).toMatchObject({ status: 'rejected', reason: 'agreement number taken on server' });
    expect(store.outbox.rejected()).toHaveLength(1);
    expect(store.outbox.counts()).toEqual({ pending: all.length - 2, applied: 1, rejected: 1 });
    expect(store.outbox.setSyncState({ pullCursor: 'c-42' }).pullCursor).toBe('c-42');
    store.close();
  });

  it('settings round-trip JSON and are not synced', () => {
    const { store } = testStore();
    const before = store.outbox.counts().pending;
    store.settings.set('ui.theme', { dark: true });
    expect(store.settings.get('ui.theme')).toEqual({ dark: true });
    expect(store.settings.all()).toEqual({ 'ui.theme': { dark: true } });
    expect(store.settings.delete('ui.theme')).toBe(true);
    expect(() => store.settings.set('bad key!', 1)).toThrow(/not a valid key/);
    expect(store.outbox.counts().pending).toBe(before);
    store.close();
  });
});
