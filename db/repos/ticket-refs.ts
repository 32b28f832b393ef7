/**
 * What a ticket refers to, checked (docs/store.md): at registration its customer, contract (and the
 * policy in it), site and asset (found by serial number or created), and the contract's required
 * intake fields; on a policy change, that the policy is in the ticket's contract.
 */
import { INTAKE_FIELDS, TICKET_FIELDS, TICKET_TEXT_FIELDS } from '../../core/domain/index.js';
import type { Ctx } from '../context.js';
import { parseJson } from '../context.js';
import { ValidationError } from '../errors.js';
import { publishRecord } from '../sync-records.js';
import type { IntakeField, PolicySet } from './customers.js';
import type { Row } from './ticket-rows.js';
import type { RegisterTicketInput } from './ticket-schemas.js';

/** Resolves which intake fields a registration has filled in (named columns or the free intake map). */
function filledIntake(v: RegisterTicketInput, siteAddress: string | null, asset: { product: string | null; serial: string | null }): Record<IntakeField, boolean> {
  const has = (s: string | null | undefined) => s != null && s.trim() !== '';
  const named: Partial<Record<IntakeField, string | null | undefined>> = { site_address: siteAddress, product: asset.product, serial_number: asset.serial };
  for (const f of TICKET_TEXT_FIELDS) {
    const k = TICKET_FIELDS[f].intake;
    if (k) named[k] = v[f];
  }
  return Object.fromEntries(INTAKE_FIELDS.map((k) => [k, has(named[k]) || has(v.intake?.[k])])) as Record<IntakeField, boolean>;
}

/** A registration's checked references: its policy, its asset (created when new), and the HLC its rows are stamped with. */
export interface RegistrationRefs {
  policy: string | null;
  assetId: string | null;
  hlc: string;
}

export class TicketRefs {
  private readonly s;
  constructor(private readonly ctx: Ctx) {
    const db = ctx.db;
    this.s = {
      customer: db.prepare(`SELECT id FROM customers WHERE id = ?`),
      contract: db.prepare(`SELECT id, customer_id, agreement_number, policy_set, default_policy, intake_fields FROM contracts WHERE id = ?`),
      site: db.prepare(`SELECT id, customer_id, address FROM sites WHERE id = ?`),
      asset: db.prepare(`SELECT id, customer_id, product, serial_number FROM assets WHERE id = ?`),
      assetBySerial: db.prepare(`SELECT id, customer_id, product, serial_number FROM assets WHERE customer_id = ? AND serial_number = ? COLLATE NOCASE LIMIT 1`),
      insAsset: db.prepare(`INSERT INTO assets (id, customer_id, site_id, product, serial_number, created_at, hlc) VALUES (@id, @customer_id, @site_id, @product, @serial_number, @now, @hlc)`),
    };
  }

  /** Checks what registration `v` refers to (a ValidationError naming the field) and creates its new asset; inside the registration's transaction. */
  registration(v: RegisterTicketInput, now: number): RegistrationRefs {
    if (!this.s.customer.get(v.customerId)) throw new ValidationError(`customer ${v.customerId} does not exist`, 'ticket.customerId');
    let policy = v.policy ?? null;
    let contractRow: Row | undefined;
    if (v.contractId) {
      contractRow = this.s.contract.get(v.contractId) as Row | undefined;
      if (!contractRow) throw new ValidationError(`contract ${v.contractId} does not exist`, 'ticket.contractId');
      if (contractRow.customer_id !== v.customerId) throw new ValidationError(`contract ${contractRow.agreement_number as string} belongs to another customer`, 'ticket.contractId');
      const ps = parseJson<PolicySet>(contractRow.policy_set as string, { calendars: {}, policies: {} });
      if (!v.planned) policy ??= (contractRow.default_policy as string | null) ?? null;
      if (policy !== null && !Object.hasOwn(ps.policies, policy)) {
        throw new ValidationError(`policy "${policy}" is not in contract ${contractRow.agreement_number as string} (has: ${Object.keys(ps.policies).join(', ') || 'none'})`, 'ticket.policy');
      }
    }
    let siteAddress: string | null = null;
    if (v.siteId) {
      const site = this.s.site.get(v.siteId) as Row | undefined;
      if (!site) throw new ValidationError(`site ${v.siteId} does not exist`, 'ticket.siteId');
      if (site.customer_id !== v.customerId) throw new ValidationError(`site ${v.siteId} belongs to another customer`, 'ticket.siteId');
      siteAddress = (site.address as string | null) ?? null;
    }
    let assetId = v.assetId ?? null;
    let assetInfo = { product: null as string | null, serial: null as string | null };
    const hlc = this.ctx.hlc.now();
    if (assetId) {
      const a = this.s.asset.get(assetId) as Row | undefined;
      if (!a) throw new ValidationError(`asset ${assetId} does not exist`, 'ticket.assetId');
      if (a.customer_id !== v.customerId) throw new ValidationError(`asset ${assetId} belongs to another customer`, 'ticket.assetId');
      assetInfo = { product: (a.product as string | null) ?? null, serial: (a.serial_number as string | null) ?? null };
    } else if (v.asset && (v.asset.serialNumber || v.asset.product)) {
      const existing = v.asset.serialNumber ? (this.s.assetBySerial.get(v.customerId, v.asset.serialNumber) as Row | undefined) : undefined;
      if (existing) assetId = existing.id as string;
      else {
        const row = { id: this.ctx.newId(), customer_id: v.customerId, site_id: v.siteId ?? null, product: v.asset.product ?? null, serial_number: v.asset.serialNumber ?? null, now, hlc };
        this.s.insAsset.run(row);
        publishRecord(this.ctx, 'asset', row.id, hlc);
        assetId = row.id;
      }
      assetInfo = { product: v.asset.product ?? null, serial: v.asset.serialNumber ?? null };
    }
    if (contractRow && !v.planned) {
      const required = parseJson<IntakeField[]>(contractRow.intake_fields as string, []);
      const filled = filledIntake(v, siteAddress, assetInfo);
      const missing = required.filter((f) => !filled[f]);
      if (missing.length) {
        throw new ValidationError(`contract ${contractRow.agreement_number as string} requires ${missing.join(', ')}`, `ticket.intake.${missing[0] as string}`);
      }
    }
    return { policy, assetId, hlc };
  }

  /** A policy change: the policy must be in the ticket's contract. */
  checkPolicyChange(contractId: string, policy: unknown): void {
    const c = this.s.contract.get(contractId) as Row;
    const ps = parseJson<PolicySet>(c.policy_set as string, { calendars: {}, policies: {} });
    if (!Object.hasOwn(ps.policies, policy as string)) throw new ValidationError(`policy "${String(policy)}" is not in contract ${c.agreement_number as string}`, 'event.data.policy');
  }
}
