import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../core/clock.js';
import { migrateTo } from '../../db/migrate.js';
import { openStore } from '../../db/store.js';
import type { OpenStoreOptions, Store } from '../../db/store.js';
import type { ContractInput } from '../../db/repos/customers.js';

export const T0 = Date.UTC(2026, 2, 30, 7, 0, 0);

/** A fresh in-memory database at schema version 0. */
export function createDB(): BetterSqlite3.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  return db;
}

/** Runs migrations up to version n. */
export function updateToVersion(db: BetterSqlite3.Database, n: number): void {
  migrateTo(db, n);
}

/** EXPLAIN QUERY PLAN details, one string per step. */
export function explain(db: BetterSqlite3.Database, sql: string, ...params: unknown[]): string[] {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
}

/** The tables and triggers of the schema, by name. */
export const tables = (db: BetterSqlite3.Database): string[] =>
  (db.prepare(`SELECT name FROM sqlite_schema WHERE type IN ('table','trigger') ORDER BY name`).all() as { name: string }[]).map((r) => r.name);

const dirs: string[] = [];
export function tempDir(prefix = 'vakt-db-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}
export function cleanupTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function testStore(overrides: Partial<OpenStoreOptions> = {}): { store: Store; clock: ManualClock; dataDir: string } {
  const clock = new ManualClock(T0);
  const dataDir = overrides.dataDir ?? tempDir();
  const store = openStore({ dataDir, clock, supportCodeLogN: 10, machineId: 'test-machine', ...overrides });
  return { store, clock, dataDir };
}

export const POLICY_SET = {
  calendars: {
    'dk-office': { timezone: 'Europe/Copenhagen', week: { mon: [['08:00', '16:00']], tue: [['08:00', '16:00']], wed: [], thu: [], fri: [], sat: [], sun: [] } },
    '24x7': { timezone: 'Europe/Copenhagen', week: '24x7' },
  },
  policies: {
    normal: { calendar: 'dk-office', targets: { response: { within: { hours: 4 } } } },
    high: { calendar: '24x7', targets: { response: { within: { hours: 1 } } } },
  },
};

export function sampleContract(customerId: string, over: Partial<ContractInput> = {}): ContractInput {
  return {
    customerId,
    agreementNumber: 'SA0009858',
    name: 'Telefoni SLA',
    policySet: POLICY_SET,
    defaultPolicy: 'normal',
    rateCard: { hourly: 950, currency: 'DKK' },
    intakeFields: ['fault_description', 'mobile_number'],
    supportCode: 'ZX-4471',
    contacts: [{ name: 'Søren Ærø', phone: '+45 72 12 00 00', role: 'telefoniansvarlig' }],
    ...over,
  };
}

/** A store with one customer + contract. */
export function seeded(overrides: Partial<OpenStoreOptions> = {}) {
  const t = testStore(overrides);
  const customer = t.store.customers.createCustomer({ name: 'Fjordkraft A/S' });
  const contract = t.store.customers.createContract(sampleContract(customer.id));
  return { ...t, customer, contract };
}

/** The error `fn` throws (fails the test when it throws none). */
export const catchErr = (fn: () => unknown): Error => {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
};
