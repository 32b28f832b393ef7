/**
 * Scheduled reports and warranty in the store (migration 0017): a contract's
 * `reports` and `warranty` sections, the reports it has sent, and an asset's
 * purchase date and own warranty end. Every change publishes the contract or
 * asset record in its transaction, so the other devices learn it by sync.
 * The handlers validate what they pass (core/api/terms.ts, with the record's own rules).
 */
import type { Ctx } from '../context.js';
import { json, parseJson } from '../context.js';
import type { ReportSent } from '../../core/agreements/record-fields.js';
import type { ReportsSection } from '../../core/agreements/reports.js';
import type { WarrantySection } from '../../core/agreements/warranty.js';
import { NotFoundError } from '../errors.js';
import { publishRecord } from '../sync-records.js';
import { toAsset } from './customers.js';
import type { Asset, CustomersRepo } from './customers.js';

type Row = Record<string, unknown>;

export interface ContractAgreements {
  contractId: string;
  customerId: string;
  agreementNumber: string;
  reports: ReportsSection | null;
  warranty: WarrantySection | null;
  /** Oldest first. */
  reportsSent: ReportSent[];
}
export interface AssetWarranty extends Asset {
  purchaseDate: string | null;
  warrantyUntil: string | null;
}

/** Kept per contract; the oldest go first beyond it. */
export const MAX_REPORTS_SENT = 200;

export class AgreementsRepo {
  private readonly s;
  constructor(
    private readonly ctx: Ctx,
    private readonly customers: CustomersRepo,
  ) {
    const db = ctx.db;
    this.s = {
      contract: db.prepare(`SELECT id, customer_id, agreement_number, reports, warranty, report_sends FROM contracts WHERE id = ?`),
      withReports: db.prepare(`SELECT id, customer_id, agreement_number, reports, warranty, report_sends FROM contracts WHERE reports IS NOT NULL ORDER BY agreement_number`),
      setSections: db.prepare(`UPDATE contracts SET reports = @reports, warranty = @warranty, updated_at = @now, version = version + 1, hlc = @hlc WHERE id = @id`),
      setSends: db.prepare(`UPDATE contracts SET report_sends = @sends, updated_at = @now, version = version + 1, hlc = @hlc WHERE id = @id`),
      asset: db.prepare(`SELECT * FROM assets WHERE id = ?`),
      bySerial: db.prepare(`SELECT * FROM assets WHERE customer_id = ? AND serial_number = ? COLLATE NOCASE ORDER BY created_at, id LIMIT 1`),
      setAsset: db.prepare(`UPDATE assets SET purchase_date = @purchase_date, warranty_until = @warranty_until, version = version + 1, hlc = @hlc WHERE id = @id`),
    };
  }

  private toAgreements(r: Row): ContractAgreements {
    return {
      contractId: r.id as string,
      customerId: r.customer_id as string,
      agreementNumber: r.agreement_number as string,
      reports: parseJson(r.reports as string | null, null),
      warranty: parseJson(r.warranty as string | null, null),
      reportsSent: parseJson(r.report_sends as string | null, null) ?? [],
    };
  }

  contract(contractId: string): ContractAgreements | null {
    const r = this.s.contract.get(contractId) as Row | undefined;
    return r ? this.toAgreements(r) : null;
  }

  /** Every contract with a `reports` section (the reminders plan over them). */
  withReports(): ContractAgreements[] {
    return (this.s.withReports.all() as Row[]).map((r) => this.toAgreements(r));
  }

  /** Sets the sections (undefined: unchanged; null: removed). The callers check them (core/agreements). */
  setSections(contractId: string, patch: { reports?: ReportsSection | null; warranty?: WarrantySection | null }): ContractAgreements {
    return this.ctx.tx(() => {
      const r = this.s.contract.get(contractId) as Row | undefined;
      if (!r) throw new NotFoundError(`contract ${contractId} does not exist`);
      const pick = (key: 'reports' | 'warranty') => (patch[key] === undefined ? (r[key] as string | null) : patch[key] === null ? null : json(patch[key]));
      const hlc = this.ctx.hlc.now();
      this.s.setSections.run({ id: contractId, reports: pick('reports'), warranty: pick('warranty'), now: this.ctx.clock.now(), hlc });
      publishRecord(this.ctx, 'contract', contractId, hlc);
      return this.contract(contractId) as ContractAgreements;
    });
  }

  /** Records a report as sent (a second record of the same period keeps both: who sent what, when). */
  recordReportSent(contractId: string, v: ReportSent): ContractAgreements {
    return this.ctx.tx(() => {
      const r = this.s.contract.get(contractId) as Row | undefined;
      if (!r) throw new NotFoundError(`contract ${contractId} does not exist`);
      const sends = [...(parseJson<ReportSent[] | null>(r.report_sends as string | null, null) ?? []), v].slice(-MAX_REPORTS_SENT);
      const hlc = this.ctx.hlc.now();
      this.s.setSends.run({ id: contractId, sends: json(sends), now: this.ctx.clock.now(), hlc });
      publishRecord(this.ctx, 'contract', contractId, hlc);
      return this.contract(contractId) as ContractAgreements;
    });
  }

  asset(assetId: string): AssetWarranty | null {
    const r = this.s.asset.get(assetId) as Row | undefined;
    return r ? { ...toAsset(r), purchaseDate: (r.purchase_date as string | null) ?? null, warrantyUntil: (r.warranty_until as string | null) ?? null } : null;
  }

  /** The customer's asset with this serial number (case aside), or null. */
  assetBySerial(customerId: string, serialNumber: string): AssetWarranty | null {
    const r = this.s.bySerial.get(customerId, serialNumber.trim()) as Row | undefined;
    return r ? this.asset(r.id as string) : null;
  }

  /**
   * The asset named at intake (product and serial number), made when the
   * customer has none with that serial number, with its purchase date and own
   * warranty end (undefined: unchanged). One transaction.
   */
  saveAsset(input: { customerId: string; product: string | null; serialNumber: string; purchaseDate?: string | null; warrantyUntil?: string | null }): AssetWarranty {
    return this.ctx.tx(() => {
      const found = this.assetBySerial(input.customerId, input.serialNumber);
      const id = found ? found.id : this.customers.createAsset({ customerId: input.customerId, product: input.product, serialNumber: input.serialNumber }).id;
      return this.setAssetWarranty(id, { purchaseDate: input.purchaseDate, warrantyUntil: input.warrantyUntil });
    });
  }

  /** Sets an asset's purchase date and own warranty end (null: unknown / none). */
  setAssetWarranty(assetId: string, v: { purchaseDate?: string | null; warrantyUntil?: string | null }): AssetWarranty {
    return this.ctx.tx(() => {
      const r = this.s.asset.get(assetId) as Row | undefined;
      if (!r) throw new NotFoundError(`asset ${assetId} does not exist`);
      const hlc = this.ctx.hlc.now();
      const purchase = v.purchaseDate === undefined ? (r.purchase_date as string | null) : v.purchaseDate;
      const until = v.warrantyUntil === undefined ? (r.warranty_until as string | null) : v.warrantyUntil;
      this.s.setAsset.run({ id: assetId, purchase_date: purchase, warranty_until: until, hlc });
      publishRecord(this.ctx, 'asset', assetId, hlc);
      return this.asset(assetId) as AssetWarranty;
    });
  }
}
