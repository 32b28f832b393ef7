/** The contract aggregate: a customer's contract with its authorised contacts, support code, policies and details. */
import type { Ctx } from '../context.js';
import { json, parseJson } from '../context.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { hashSecret, verifySecret } from '../secret.js';
import { nameBasedId, publishRecord } from '../sync-records.js';
import type { CustomerRepo } from './customer-repo.js';
import { digitsOnly, phoneKey, toContact } from './customer-schemas.js';
import type { CallerMatch, Contact, ContactInput, Contract, ContractInput, PolicySet, Row } from './customer-schemas.js';

export class ContractRepo {
  private readonly s;
  constructor(
    private readonly ctx: Ctx,
    private readonly customers: CustomerRepo,
  ) {
    const db = ctx.db;
    this.s = {
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
    };
  }

  createContract(v: ContractInput): Contract {
    const hash = v.supportCode ? hashSecret(v.supportCode, this.ctx.supportCodeLogN) : null;
    return this.ctx.tx(() => {
      this.customers.requireCustomer(v.customerId, 'contract.customerId');
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
        intake_fields: json(v.intakeFields ?? []),
        support_code_hash: hash,
        valid_from: v.validFrom ?? null,
        valid_to: v.validTo ?? null,
        now,
        hlc,
      };
      this.s.insContract.run(row);
      // An imported contract (given id): its contacts' ids follow from it, so the same file imported elsewhere makes the same records.
      const contacts = (v.contacts ?? []).map((c, i) => this.insertContact(id, c, now, hlc, v.id ? nameBasedId('contact', `${id}|${i}|${c.name}|${c.phone ?? ''}|${c.email ?? ''}`) : undefined));
      publishRecord(this.ctx, 'contract', id, hlc);
      for (const k of contacts) publishRecord(this.ctx, 'contact', k.id, hlc);
      return this.getContract(id) as Contract;
    });
  }

  private insertContact(contractId: string, c: ContactInput, now: number, hlc: string, id?: string) {
    const row = { id: id ?? this.ctx.newId(), contract_id: contractId, name: c.name, phone: c.phone ?? null, phone_digits: phoneKey(c.phone), email: c.email ?? null, role: c.role ?? null, now, hlc };
    this.s.insContact.run(row);
    return row;
  }

  addContact(contractId: string, c: ContactInput): Contact {
    return this.ctx.tx(() => {
      if (!this.s.getContract.get(contractId)) throw new NotFoundError(`contract ${contractId} does not exist`);
      const now = this.ctx.clock.now();
      const hlc = this.ctx.hlc.now();
      const row = this.insertContact(contractId, c, now, hlc);
      publishRecord(this.ctx, 'contact', row.id, hlc);
      return toContact(row);
    });
  }

  getContact(id: string): Contact | null {
    const r = this.s.getContact.get(id) as Row | undefined;
    return r ? toContact(r) : null;
  }

  /** Replaces an authorised contact's name, phone, e-mail and role. Outbox `record.put@1`. */
  updateContact(contactId: string, c: ContactInput): Contact {
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
  updatePolicySet(contractId: string, ps: PolicySet, expectedVersion?: number | null, wording?: Record<string, unknown>, criticalPolicy?: string | null): Contract {
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
  setContractDetails(
    contractId: string,
    patch: { rateCard?: unknown; checklist?: Record<string, unknown>[] | null; wording?: Record<string, unknown> | null; maintenance?: unknown[] | null },
  ): Contract {
    return this.ctx.tx(() => {
      const r = this.s.getContract.get(contractId) as Row | undefined;
      if (!r) throw new NotFoundError(`contract ${contractId} does not exist`);
      const pick = (key: 'rateCard' | 'checklist' | 'wording' | 'maintenance', col: string) => (patch[key] === undefined ? (r[col] as string | null) : patch[key] === null ? null : json(patch[key]));
      const hlc = this.ctx.hlc.now();
      this.s.setDetails.run({
        id: contractId,
        rate_card: pick('rateCard', 'rate_card'),
        checklist: pick('checklist', 'checklist'),
        wording: pick('wording', 'wording'),
        maintenance: pick('maintenance', 'maintenance'),
        now: this.ctx.clock.now(),
        hlc,
      });
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
}
