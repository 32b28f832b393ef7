/** The site and asset aggregates: a customer's places and the equipment there (outbox `record.put@1`). */
import type { Ctx } from '../context.js';
import { ValidationError } from '../errors.js';
import { publishRecord } from '../sync-records.js';
import type { CustomerRepo } from './customer-repo.js';
import { toAsset, toSite } from './customer-schemas.js';
import type { Asset, AssetInput, Row, Site, SiteInput } from './customer-schemas.js';

export class SiteAssetRepo {
  private readonly s;
  constructor(
    private readonly ctx: Ctx,
    private readonly customers: CustomerRepo,
  ) {
    const db = ctx.db;
    this.s = {
      insSite: db.prepare(`INSERT INTO sites (id, customer_id, name, address, created_at, hlc) VALUES (@id, @customer_id, @name, @address, @now, @hlc)`),
      getSite: db.prepare(`SELECT * FROM sites WHERE id = ?`),
      sitesOf: db.prepare(`SELECT * FROM sites WHERE customer_id = ? ORDER BY name`),
      insAsset: db.prepare(`INSERT INTO assets (id, customer_id, site_id, product, serial_number, created_at, hlc) VALUES (@id, @customer_id, @site_id, @product, @serial_number, @now, @hlc)`),
      getAsset: db.prepare(`SELECT * FROM assets WHERE id = ?`),
      assetsBySerial: db.prepare(`SELECT * FROM assets WHERE serial_number = ? COLLATE NOCASE`),
    };
  }

  createSite(v: SiteInput): Site {
    return this.ctx.tx(() => {
      this.customers.requireCustomer(v.customerId, 'site.customerId');
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

  createAsset(v: AssetInput): Asset {
    return this.ctx.tx(() => {
      this.customers.requireCustomer(v.customerId, 'asset.customerId');
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
