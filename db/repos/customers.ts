/** Customers and what hangs off them: contracts (+ contacts, support code), sites, assets. */
import { z } from 'zod';
import type { Ctx } from '../context.js';
import { json, parseInput, parseJson } from '../context.js';
import { DESK_INTAKE_FIELDS } from '../../core/api/desk.js';
import { isPhoneNumber, NOT_A_PHONE } from '../../core/api/phone.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { hashSecret, verifySecret } from '../secret.js';
import { nameBasedId, publishRecord } from '../sync-records.js';

/** The intake fields a contract may require: one list, defined with the API contract. */
export const INTAKE_FIELDS = DESK_INTAKE_FIELDS;
export type IntakeField = (typeof INTAKE_FIELDS)[number];

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);
const optText = (max: number) => text(max).nullish();

/** A record id given by the caller (an import's name-based id, db/sync-records.ts nameBasedId). */
const givenId = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a lower-case UUID').optional();
export const customerInput = z.object({ id: givenId, name: text(200), orgNumber: optText(40), notes: optText(4000) }).strict();
export type CustomerInput = z.input<typeof customerInput>;

const calendarRef = z.record(z.string(), z.object({}).passthrough());
export const policySetSchema = z
  .object({
    calendars: calendarRef,
    policies: z.record(z.string(), z.object({ calendar: z.string().optional(), targets: z.object({}).passthrough() }).passthrough()),
  })
  .strict()
  .superRefine((ps, ctx) => {
    for (const [name, p] of Object.entries(ps.policies)) {
      if (p.calendar !== undefined && !Object.hasOwn(ps.calendars, p.calendar)) {
        ctx.addIssue({ code: 'custom', path: ['policies', name, 'calendar'], message: `calendar "${p.calendar}" is not in calendars` });
      }
    }
  });
export type PolicySet = z.output<typeof policySetSchema>;

const contactInput = z
  .object({
    name: text(200),
    phone: optText(40).refine((p) => p == null || isPhoneNumber(p), { message: 'is not a phone number', params: { key: NOT_A_PHONE } }),
    email: optText(200).refine((e) => e == null || /^[^\s@]+@[^\s@]+$/.test(e), 'is not an e-mail address'),
    role: optText(100),
  })
  .strict();
export type ContactInput = z.input<typeof contactInput>;

export const contractInput = z
  .object({
    id: givenId,
    customerId: z.string().min(1),
    agreementNumber: text(40).regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'letters, digits and . _ / - only (e.g. SA0009858)'),
    name: optText(200),
    policySet: policySetSchema,
    defaultPolicy: optText(100),
    criticalPolicy: optText(100),
    rateCard: z.unknown().optional(),
    checklist: z.array(z.record(z.string(), z.unknown())).max(200).nullish(),
    wording: z.record(z.string(), z.unknown()).nullish(),
    /** Maintenance plans (core/agreements/maintenance.ts; the callers check them). */
    maintenance: z.array(z.unknown()).max(50).nullish(),
    intakeFields: z.array(z.enum(INTAKE_FIELDS)).default([]),
    supportCode: z.string().min(4, 'must have at least 4 characters').max(200).nullish(),
    contacts: z.array(contactInput).default([]),
    validFrom: z.number().int().nullish(),
    validTo: z.number().int().nullish(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.defaultPolicy && !Object.hasOwn(c.policySet.policies, c.defaultPolicy)) ctx.addIssue({ code: 'custom', path: ['defaultPolicy'], message: `policy "${c.defaultPolicy}" is not in policySet.policies` });
    if (c.criticalPolicy && !Object.hasOwn(c.policySet.policies, c.criticalPolicy)) ctx.addIssue({ code: 'custom', path: ['criticalPolicy'], message: `policy "${c.criticalPolicy}" is not in policySet.policies` });
    if (c.validFrom != null && c.validTo != null && c.validTo < c.validFrom) ctx.addIssue({ code: 'custom', path: ['validTo'], message: 'is before validFrom' });
  });
export type ContractInput = z.input<typeof contractInput>;

export const siteInput = z.object({ customerId: z.string().min(1), name: text(200), address: optText(500) }).strict();
export type SiteInput = z.input<typeof siteInput>;
export const assetInput = z
  .object({ customerId: z.string().min(1), siteId: z.string().nullish(), product: optText(200), serialNumber: optText(100) })
  .strict()
  .refine((a) => a.product != null || a.serialNumber != null, { message: 'give a product or a serial number', path: ['serialNumber'] });
export type AssetInput = z.input<typeof assetInput>;

export interface Customer {
  id: string;
  name: string;
  orgNumber: string | null;
  notes: string | null;
  createdAt: number;
  updatedAt: number;
  version: number;
}
export interface Contact {
  id: string;
  contractId: string;
  name: string;
  phone: string | null;
  email: string | null;
  role: string | null;
}
export interface Contract {
  id: string;
  customerId: string;
  agreementNumber: string;
  name: string | null;
  policySet: PolicySet;
  defaultPolicy: string | null;
  /** The policy a critical fault gets (null: none). */
  criticalPolicy: string | null;
  rateCard: unknown;
  /** The contract's inspection checklist (null: the default one). */
  checklist: Record<string, unknown>[] | null;
  /** The agreement's own wording, per policy / target key. */
  wording: Record<string, unknown> | null;
  /** Maintenance plans (core/agreements/maintenance.ts), null: none. */
  maintenance: unknown[] | null;
  intakeFields: IntakeField[];
  hasSupportCode: boolean;
  validFrom: number | null;
  validTo: number | null;
  contacts: Contact[];
  createdAt: number;
  version: number;
}
export interface Site {
  id: string;
  customerId: string;
  name: string;
  address: string | null;
}
export interface Asset {
  id: string;
  customerId: string;
  siteId: string | null;
  product: string | null;
  serialNumber: string | null;
}
export interface CallerMatch {
  contact: Contact;
  contractId: string;
  agreementNumber: string;
  customerId: string;
  customerName: string;
}

export const digitsOnly = (p: string | null | undefined): string | null => {
  if (p == null) return null;
  const d = p.replace(/\D/g, '');
  return d.length ? d : null;
};
/** The lookup key of a phone number: its last 8 digits (so +45 72 12 00 00 and 72120000 meet). */
export const phoneKey = (p: string | null | undefined): string | null => digitsOnly(p)?.slice(-8) ?? null;

type Row = Record<string, unknown>;
const toCustomer = (r: Row): Customer => ({
  id: r.id as string,
  name: r.name as string,
  orgNumber: (r.org_number as string | null) ?? null,
  notes: (r.notes as string | null) ?? null,
  createdAt: r.created_at as number,
  updatedAt: r.updated_at as number,
  version: r.version as number,
});
const toContact = (r: Row): Contact => ({
  id: r.id as string,
  contractId: r.contract_id as string,
  name: r.name as string,
  phone: (r.phone as string | null) ?? null,
  email: (r.email as string | null) ?? null,
  role: (r.role as string | null) ?? null,
});
const toSite = (r: Row): Site => ({ id: r.id as string, customerId: r.customer_id as string, name: r.name as string, address: (r.address as string | null) ?? null });
export const toAsset = (r: Row): Asset => ({
  id: r.id as string,
  customerId: r.customer_id as string,
  siteId: (r.site_id as string | null) ?? null,
  product: (r.product as string | null) ?? null,
  serialNumber: (r.serial_number as string | null) ?? null,
});

export class CustomersRepo {
  private readonly s;
  constructor(private readonly ctx: Ctx) {
    const db = ctx.db;
    this.s = {
      insCustomer: db.prepare(`INSERT INTO customers (id, name, org_number, notes, created_at, updated_at, hlc) VALUES (@id, @name, @org_number, @notes, @now, @now, @hlc)`),
      getCustomer: db.prepare(`SELECT * FROM customers WHERE id = ?`),
      updCustomer: db.prepare(`UPDATE customers SET name = @name, org_number = @org_number, notes = @notes, updated_at = @now, version = version + 1, hlc = @hlc WHERE id = @id`),
      findCustomers: db.prepare(`SELECT * FROM customers WHERE name LIKE ? ESCAPE '\\' COLLATE NOCASE ORDER BY name COLLATE NOCASE LIMIT ?`),
      insContract: db.prepare(
        `INSERT INTO contracts (id, customer_id, agreement_number, name, policy_set, default_policy, critical_policy, rate_card, checklist, wording, maintenance, intake_fields, support_code_hash, valid_from, valid_to, created_at, updated_at, hlc)
         VALUES (@id, @customer_id, @agreement_number, @name, @policy_set, @default_policy, @critical_policy, @rate_card, @checklist, @wording, @maintenance, @intake_fields, @support_code_hash, @valid_from, @valid_to, @now, @now, @hlc)`,
      ),
      contractByNumber: db.prepare(`SELECT * FROM contracts WHERE agreement_number = ?`),
      getContract: db.prepare(`SELECT * FROM contracts WHERE id = ?`),
      contractsOf: db.prepare(`SELECT * FROM contracts WHERE customer_id = ? ORDER BY agreement_number`),
      codeHash: db.prepare(`SELECT support_code_hash FROM contracts WHERE id = ?`),
      setCode: db.prepare(`UPDATE contracts SET support_code_hash = ?, updated_at = ?, version = version + 1, hlc = ? WHERE id = ?`),
      setPolicySet: db.prepare(`UPDATE contracts SET policy_set = ?, updated_at = ?, version = version + 1, hlc = ? WHERE id = ?`),
      setDetails: db.prepare(
        `UPDATE contracts SET rate_card = @rate_card, checklist = @checklist, wording = @wording, maintenance = @maintenance, updated_at = @now, version = version + 1, hlc = @hlc WHERE id = @id`,
      ),
      insContact: db.prepare(
        `INSERT INTO contract_contacts (id, contract_id, name, phone, phone_digits, email, role, created_at, hlc) VALUES (@id, @contract_id, @name, @phone, @phone_digits, @email, @role, @now, @hlc)`,
      ),
      contactsOf: db.prepare(`SELECT * FROM contract_contacts WHERE contract_id = ? ORDER BY name`),
      getContact: db.prepare(`SELECT * FROM contract_contacts WHERE id = ?`),
      updContact: db.prepare(`UPDATE contract_contacts SET name = @name, phone = @phone, phone_digits = @phone_digits, email = @email, role = @role, version = version + 1, hlc = @hlc WHERE id = @id`),
      delContact: db.prepare(`DELETE FROM contract_contacts WHERE id = ?`),
      callers: db.prepare(
        `SELECT cc.*, k.agreement_number, k.customer_id, c.name AS customer_name FROM contract_contacts cc
         JOIN contracts k ON k.id = cc.contract_id JOIN customers c ON c.id = k.customer_id WHERE cc.phone_digits = ?`,
      ),
      insSite: db.prepare(`INSERT INTO sites (id, customer_id, name, address, created_at, hlc) VALUES (@id, @customer_id, @name, @address, @now, @hlc)`),
      getSite: db.prepare(`SELECT * FROM sites WHERE id = ?`),
      sitesOf: db.prepare(`SELECT * FROM sites WHERE customer_id = ? ORDER BY name`),
      insAsset: db.prepare(`INSERT INTO assets (id, customer_id, site_id, product, serial_number, created_at, hlc) VALUES (@id, @customer_id, @site_id, @product, @serial_number, @now, @hlc)`),
      getAsset: db.prepare(`SELECT * FROM assets WHERE id = ?`),
      assetsBySerial: db.prepare(`SELECT * FROM assets WHERE serial_number = ? COLLATE NOCASE`),
    };
  }

  createCustomer(input: CustomerInput): Customer {
    const v = parseInput(customerInput, input, 'customer');
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

  private requireCustomer(id: string, path: string): void {
    if (!this.s.getCustomer.get(id)) throw new ValidationError(`customer ${id} does not exist`, path);
  }

  createContract(input: ContractInput): Contract {
    const v = parseInput(contractInput, input, 'contract');
    const hash = v.supportCode ? hashSecret(v.supportCode, this.ctx.supportCodeLogN) : null;
    return this.ctx.tx(() => {
      this.requireCustomer(v.customerId, 'contract.customerId');
      if (this.s.contractByNumber.get(v.agreementNumber)) throw new ConflictError(`contract.agreementNumber: agreement ${v.agreementNumber} already exists`);
      const id = v.id ?? this.ctx.newId();
      const now = this.ctx.clock.now();
      const hlc = this.ctx.hlc.now();
      const row = {
        id,
        customer_id: v.customerId,
        agreement_number: v.agreementNumber,
        name: v.name ?? null,
        policy_set: json(v.policySet),
        default_policy: v.defaultPolicy ?? null,
        critical_policy: v.criticalPolicy ?? null,
        rate_card: v.rateCard === undefined ? null : json(v.rateCard),
        checklist: v.checklist == null ? null : json(v.checklist),
        wording: v.wording == null ? null : json(v.wording),
        maintenance: v.maintenance == null ? null : json(v.maintenance),
        intake_fields: json(v.intakeFields),
        support_code_hash: hash,
        valid_from: v.validFrom ?? null,
        valid_to: v.validTo ?? null,
        now,
        hlc,
      };
      this.s.insContract.run(row);
      // An imported contract (given id): its contacts' ids follow from it, so the same file imported elsewhere makes the same records.
      const contacts = v.contacts.map((c, i) => this.insertContact(id, c, now, hlc, v.id ? nameBasedId('contact', `${id}|${i}|${c.name}|${c.phone ?? ''}|${c.email ?? ''}`) : undefined));
      publishRecord(this.ctx, 'contract', id, hlc);
      for (const k of contacts) publishRecord(this.ctx, 'contact', k.id, hlc);
      return this.getContract(id) as Contract;
    });
  }

  private insertContact(contractId: string, c: z.output<typeof contactInput>, now: number, hlc: string, id?: string) {
    const row = { id: id ?? this.ctx.newId(), contract_id: contractId, name: c.name, phone: c.phone ?? null, phone_digits: phoneKey(c.phone), email: c.email ?? null, role: c.role ?? null, now, hlc };
    this.s.insContact.run(row);
    return row;
  }

  addContact(contractId: string, input: ContactInput): Contact {
    const c = parseInput(contactInput, input, 'contact');
    return this.ctx.tx(() => {
      if (!this.s.getContract.get(contractId)) throw new NotFoundError(`contract ${contractId} does not exist`);
      const now = this.ctx.clock.now();
      const hlc = this.ctx.hlc.now();
      const row = this.insertContact(contractId, c, now, hlc);
      publishRecord(this.ctx, 'contact', row.id, hlc);
      return toContact(row);
    });
  }

  /** Changes a customer's name, org number and notes (all three are given; null clears). Outbox `record.put@1`. */
  updateCustomer(id: string, input: CustomerInput): Customer {
    const v = parseInput(customerInput, input, 'customer');
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

  getContact(id: string): Contact | null {
    const r = this.s.getContact.get(id) as Row | undefined;
    return r ? toContact(r) : null;
  }

  /** Replaces an authorised contact's name, phone, e-mail and role. Outbox `record.put@1`. */
  updateContact(contactId: string, input: ContactInput): Contact {
    const c = parseInput(contactInput, input, 'contact');
    return this.ctx.tx(() => {
      const old = this.s.getContact.get(contactId) as Row | undefined;
      if (!old) throw new NotFoundError(`contact ${contactId} does not exist`);
      const hlc = this.ctx.hlc.now();
      const row = { id: contactId, contract_id: old.contract_id as string, name: c.name, phone: c.phone ?? null, phone_digits: phoneKey(c.phone), email: c.email ?? null, role: c.role ?? null, hlc };
      this.s.updContact.run(row);
      publishRecord(this.ctx, 'contact', contactId, hlc);
      return toContact(row);
    });
  }

  /** Removes an authorised contact from its contract (the caller is no longer recognised). Outbox `record.put@1` (deleted). */
  removeContact(contactId: string): void {
    this.ctx.tx(() => {
      const old = this.s.getContact.get(contactId) as Row | undefined;
      if (!old) throw new NotFoundError(`contact ${contactId} does not exist`);
      const hlc = this.ctx.hlc.now();
      this.s.delContact.run(contactId);
      publishRecord(this.ctx, 'contact', contactId, hlc, old);
    });
  }

  getContract(id: string): Contract | null {
    const r = this.s.getContract.get(id) as Row | undefined;
    return r ? this.toContract(r) : null;
  }

  contractByAgreementNumber(agreementNumber: string): Contract | null {
    const r = this.s.contractByNumber.get(agreementNumber.trim()) as Row | undefined;
    return r ? this.toContract(r) : null;
  }

  contractsOf(customerId: string): Contract[] {
    return (this.s.contractsOf.all(customerId) as Row[]).map((r) => this.toContract(r));
  }

  private toContract(r: Row): Contract {
    return {
      id: r.id as string,
      customerId: r.customer_id as string,
      agreementNumber: r.agreement_number as string,
      name: (r.name as string | null) ?? null,
      policySet: parseJson(r.policy_set as string, { calendars: {}, policies: {} }),
      defaultPolicy: (r.default_policy as string | null) ?? null,
      criticalPolicy: (r.critical_policy as string | null) ?? null,
      rateCard: parseJson(r.rate_card as string | null, null),
      checklist: parseJson(r.checklist as string | null, null),
      wording: parseJson(r.wording as string | null, null),
      maintenance: parseJson(r.maintenance as string | null, null),
      intakeFields: parseJson(r.intake_fields as string, []),
      hasSupportCode: r.support_code_hash != null,
      validFrom: (r.valid_from as number | null) ?? null,
      validTo: (r.valid_to as number | null) ?? null,
      contacts: (this.s.contactsOf.all(r.id) as Row[]).map(toContact),
      createdAt: r.created_at as number,
      version: r.version as number,
    };
  }

  /** Checks a support code given by a caller (constant-time compare of scrypt hashes). */
  verifySupportCode(contractId: string, code: string): boolean {
    const r = this.s.codeHash.get(contractId) as { support_code_hash: string | null } | undefined;
    if (!r) throw new NotFoundError(`contract ${contractId} does not exist`);
    if (!r.support_code_hash) return false;
    return verifySecret(code, r.support_code_hash);
  }

  setSupportCode(contractId: string, code: string | null): void {
    if (code !== null && (code.length < 4 || code.length > 200)) throw new ValidationError('must have 4 to 200 characters', 'supportCode');
    const hash = code === null ? null : hashSecret(code, this.ctx.supportCodeLogN);
    this.ctx.tx(() => {
      const hlc = this.ctx.hlc.now();
      const r = this.s.setCode.run(hash, this.ctx.clock.now(), hlc, contractId);
      if (r.changes === 0) throw new NotFoundError(`contract ${contractId} does not exist`);
      publishRecord(this.ctx, 'contract', contractId, hlc);
    });
  }

  /**
   * Replaces a contract's calendars and policies (the calendar editor). The
   * version goes up (the SLA planner recompiles); the outbox mutation is
   * written in the same transaction. `expectedVersion`, when given, must be
   * the stored one (else ConflictError: someone else changed it meanwhile).
   * `wording`, when given, replaces the agreement's wording in the same change.
   */
  updatePolicySet(contractId: string, policySet: PolicySet, expectedVersion?: number | null, wording?: Record<string, unknown>, criticalPolicy?: string | null): Contract {
    const ps = parseInput(policySetSchema, policySet, 'policySet');
    return this.ctx.tx(() => {
      const r = this.s.getContract.get(contractId) as Row | undefined;
      if (!r) throw new NotFoundError(`contract ${contractId} does not exist`);
      if (expectedVersion != null && r.version !== expectedVersion) {
        throw new ConflictError(`contract ${r.agreement_number as string} was changed meanwhile (version ${r.version as number}, you edited ${expectedVersion}): reload it`);
      }
      const defaultPolicy = r.default_policy as string | null;
      if (defaultPolicy && !Object.hasOwn(ps.policies, defaultPolicy)) throw new ValidationError(`the contract's default policy "${defaultPolicy}" must stay`, 'policySet.policies');
      const critical = criticalPolicy === undefined ? (r.critical_policy as string | null) : criticalPolicy;
      if (critical && !Object.hasOwn(ps.policies, critical)) throw new ValidationError(`the contract's critical policy "${critical}" must stay`, 'policySet.policies');
      const hlc = this.ctx.hlc.now();
      this.s.setPolicySet.run(json(ps), this.ctx.clock.now(), hlc, contractId);
      // the agreement's wording edited with it: the same change (one version, one record)
      if (wording) this.ctx.db.prepare('UPDATE contracts SET wording = ? WHERE id = ?').run(json(wording), contractId);
      // the policy a critical fault gets, chosen with it (issue 15)
      if (criticalPolicy !== undefined) this.ctx.db.prepare('UPDATE contracts SET critical_policy = ? WHERE id = ?').run(critical, contractId);
      publishRecord(this.ctx, 'contract', contractId, hlc);
      return this.getContract(contractId) as Contract;
    });
  }

  /**
   * Sets a contract's rate card, inspection checklist or the agreement's
   * wording (undefined: unchanged; null: cleared). They travel with the
   * contract record (outbox `record.put@1`). The callers validate the shapes.
   */
  setContractDetails(contractId: string, patch: { rateCard?: unknown; checklist?: Record<string, unknown>[] | null; wording?: Record<string, unknown> | null; maintenance?: unknown[] | null }): Contract {
    return this.ctx.tx(() => {
      const r = this.s.getContract.get(contractId) as Row | undefined;
      if (!r) throw new NotFoundError(`contract ${contractId} does not exist`);
      const pick = (key: 'rateCard' | 'checklist' | 'wording' | 'maintenance', col: string) => (patch[key] === undefined ? (r[col] as string | null) : patch[key] === null ? null : json(patch[key]));
      const hlc = this.ctx.hlc.now();
      this.s.setDetails.run({ id: contractId, rate_card: pick('rateCard', 'rate_card'), checklist: pick('checklist', 'checklist'), wording: pick('wording', 'wording'), maintenance: pick('maintenance', 'maintenance'), now: this.ctx.clock.now(), hlc });
      publishRecord(this.ctx, 'contract', contractId, hlc);
      return this.getContract(contractId) as Contract;
    });
  }

  /** Who is calling: authorised contacts whose phone number matches (digits compared). */
  contactsByPhone(phone: string): CallerMatch[] {
    const d = digitsOnly(phone);
    const key = phoneKey(phone);
    if (!d || !key) return [];
    const sameNumber = (r: Row) => {
      const other = digitsOnly(r.phone as string) ?? '';
      return other.endsWith(d) || d.endsWith(other);
    };
    return (this.s.callers.all(key) as Row[]).filter(sameNumber).map((r) => ({
      contact: toContact(r),
      contractId: r.contract_id as string,
      agreementNumber: r.agreement_number as string,
      customerId: r.customer_id as string,
      customerName: r.customer_name as string,
    }));
  }

  createSite(input: SiteInput): Site {
    const v = parseInput(siteInput, input, 'site');
    return this.ctx.tx(() => {
      this.requireCustomer(v.customerId, 'site.customerId');
      const row = { id: this.ctx.newId(), customer_id: v.customerId, name: v.name, address: v.address ?? null, now: this.ctx.clock.now(), hlc: this.ctx.hlc.now() };
      this.s.insSite.run(row);
      publishRecord(this.ctx, 'site', row.id, row.hlc);
      return toSite(row);
    });
  }

  getSite(id: string): Site | null {
    const r = this.s.getSite.get(id) as Row | undefined;
    return r ? toSite(r) : null;
  }

  sitesOf(customerId: string): Site[] {
    return (this.s.sitesOf.all(customerId) as Row[]).map(toSite);
  }

  createAsset(input: AssetInput): Asset {
    const v = parseInput(assetInput, input, 'asset');
    return this.ctx.tx(() => {
      this.requireCustomer(v.customerId, 'asset.customerId');
      if (v.siteId) {
        const site = this.s.getSite.get(v.siteId) as Row | undefined;
        if (!site) throw new ValidationError(`site ${v.siteId} does not exist`, 'asset.siteId');
        if (site.customer_id !== v.customerId) throw new ValidationError(`site ${v.siteId} belongs to another customer`, 'asset.siteId');
      }
      const row = {
        id: this.ctx.newId(),
        customer_id: v.customerId,
        site_id: v.siteId ?? null,
        product: v.product ?? null,
        serial_number: v.serialNumber ?? null,
        now: this.ctx.clock.now(),
        hlc: this.ctx.hlc.now(),
      };
      this.s.insAsset.run(row);
      publishRecord(this.ctx, 'asset', row.id, row.hlc);
      return toAsset(row);
    });
  }

  getAsset(id: string): Asset | null {
    const r = this.s.getAsset.get(id) as Row | undefined;
    return r ? toAsset(r) : null;
  }

  assetsBySerial(serial: string): Asset[] {
    return (this.s.assetsBySerial.all(serial.trim()) as Row[]).map(toAsset);
  }
}

export function clampLimit(n: number, max = 500): number {
  if (!Number.isInteger(n) || n < 1) throw new ValidationError(`must be a whole number from 1 to ${max}, got ${n}`, 'limit');
  return Math.min(n, max);
}
