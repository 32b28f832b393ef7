/** The customer aggregate: a customer's name, org number and notes (outbox `record.put@1`). */
import type { Ctx } from '../context.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { clampLimit } from '../paging.js';
import { publishRecord } from '../sync-records.js';
import { toCustomer } from './customer-schemas.js';
import type { Customer, CustomerInput, Row } from './customer-schemas.js';

export class CustomerRepo {
  private readonly s;
  constructor(private readonly ctx: Ctx) {
    const db = ctx.db;
    this.s = {
      insCustomer: db.prepare(`INSERT INTO customers (id, name, org_number, notes, created_at, updated_at, hlc) VALUES (@id, @name, @org_number, @notes, @now, @now, @hlc)`),
      getCustomer: db.prepare(`SELECT * FROM customers WHERE id = ?`),
      updCustomer: db.prepare(`UPDATE customers SET name = @name, org_number = @org_number, notes = @notes, updated_at = @now, version = version + 1, hlc = @hlc WHERE id = @id`),
      findCustomers: db.prepare(`SELECT * FROM customers WHERE name LIKE ? ESCAPE '\\' COLLATE NOCASE ORDER BY name COLLATE NOCASE LIMIT ?`),
    };
  }

  createCustomer(v: CustomerInput): Customer {
    return this.ctx.tx(() => {
      const id = v.id ?? this.ctx.newId();
      if (v.id && this.s.getCustomer.get(v.id)) throw new ConflictError(`customer.id: customer ${v.id} already exists`);
      const now = this.ctx.clock.now();
      const hlc = this.ctx.hlc.now();
      const row = { id, name: v.name, org_number: v.orgNumber ?? null, notes: v.notes ?? null, now, hlc };
      this.s.insCustomer.run(row);
      publishRecord(this.ctx, 'customer', id, hlc);
      return this.getCustomer(id) as Customer;
    });
  }

  getCustomer(id: string): Customer | null {
    const r = this.s.getCustomer.get(id) as Row | undefined;
    return r ? toCustomer(r) : null;
  }

  /** Customers whose name starts with `prefix` (case-insensitive). */
  findCustomers(prefix: string, limit = 50): Customer[] {
    const like = prefix.replace(/[\\%_]/g, (c) => `\\${c}`) + '%';
    return (this.s.findCustomers.all(like, clampLimit(limit)) as Row[]).map(toCustomer);
  }

  /** Changes a customer's name, org number and notes (all three are given; null clears). Outbox `record.put@1`. */
  updateCustomer(id: string, v: CustomerInput): Customer {
    return this.ctx.tx(() => {
      if (!this.s.getCustomer.get(id)) throw new NotFoundError(`customer ${id} does not exist`);
      const now = this.ctx.clock.now();
      const hlc = this.ctx.hlc.now();
      const row = { id, name: v.name, org_number: v.orgNumber ?? null, notes: v.notes ?? null, now, hlc };
      this.s.updCustomer.run(row);
      publishRecord(this.ctx, 'customer', id, hlc);
      return this.getCustomer(id) as Customer;
    });
  }

  /** ValidationError at `path` unless the customer exists. */
  requireCustomer(id: string, path: string): void {
    if (!this.s.getCustomer.get(id)) throw new ValidationError(`customer ${id} does not exist`, path);
  }
}
