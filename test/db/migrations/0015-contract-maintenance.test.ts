import { afterEach, describe, expect, it } from 'vitest';
import { schemaVersion } from '../../../db/migrate.js';
import { VISIT_QUERIES } from '../../../db/repos/visits.js';
import { cleanupTempDirs, createDB, explain, sampleContract, seeded, updateToVersion } from '../helpers.js';

afterEach(cleanupTempDirs);

const PLAN = [{ id: 'q', kind: 'inspection', perYear: 4 }];

describe('0015-contract-maintenance', () => {
  it("adds the contracts' maintenance plans (JSON, none for existing contracts) and the visits index", () => {
    const db = createDB();
    updateToVersion(db, 14);
    db.prepare(`INSERT INTO customers (id, name, created_at, updated_at, hlc) VALUES ('c', 'C', 0, 0, 'h')`).run();
    db.prepare(`INSERT INTO contracts (id, customer_id, agreement_number, policy_set, created_at, updated_at, hlc) VALUES ('k', 'c', 'SA1', '{}', 0, 0, 'h')`).run();
    updateToVersion(db, 15);
    expect(schemaVersion(db)).toBe(15);
    expect(db.prepare(`SELECT maintenance FROM contracts`).all()).toEqual([{ maintenance: null }]);
    expect(() => db.prepare(`UPDATE contracts SET maintenance = 'not json'`).run()).toThrow(/CHECK/);
    expect(explain(db, VISIT_QUERIES.ofContract, { contract: 'k', from: '2026-01-01', to: '2027-01-01' }).join(' ')).toContain('tickets_visits');
  });
});

describe('planned visit tickets', () => {
  it('keeps the plans with the contract and in its sync record', () => {
    const { store, customer } = seeded();
    const c = store.customers.createContract(sampleContract(customer.id, { agreementNumber: 'TK-1', maintenance: PLAN }));
    expect(store.customers.getContract(c.id)?.maintenance).toEqual(PLAN);
    expect(store.visits.contractsWithPlans().map((x) => x.id)).toEqual([c.id]);
    const put = store.db.prepare(`SELECT payload FROM outbox WHERE name = 'record.put' AND json_extract(payload, '$.kind') = 'contract' ORDER BY device_seq DESC LIMIT 1`).get() as { payload: string };
    expect(JSON.parse(put.payload).data.maintenance).toEqual(PLAN);
  });

  it('a register with the same given id answers the first ticket and writes nothing more; a planned one has no policy and needs no intake', () => {
    const { store, customer, contract } = seeded();
    const id = '019d45e9-2300-734d-864c-1624288e4ac9';
    const input = { id, planned: true, customerId: customer.id, contractId: contract.id, channel: 'onsite' as const, intake: { visit_kind: 'inspection', visit_due: '2026-04-01' } };
    const a = store.tickets.register(input);
    const outbox = store.db.prepare(`SELECT count(*) AS n FROM outbox`).get();
    const b = store.tickets.register(input);
    expect(b.caseNumber).toBe(a.caseNumber);
    expect(a).toMatchObject({ id, policy: null });
    expect(store.db.prepare(`SELECT count(*) AS n FROM outbox`).get()).toEqual(outbox);
    expect(store.visits.ofContract(contract.id, '2026-01-01', '2026-12-31').map((t) => t.id)).toEqual([id]);
    // an ordinary call still needs the contract's intake fields and gets its default policy
    expect(() => store.tickets.register({ customerId: customer.id, contractId: contract.id, channel: 'phone' })).toThrow(/requires/);
  });
});
