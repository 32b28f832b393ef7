/**
 * An asset's and a ticket's warranty as the app shows and bills it: the
 * contract's terms (core/agreements/warranty.ts) on today's date in the
 * contract's zone, the accepted quote, the diagnosis fee proposed.
 */
import type { AssetWarrantyView, TicketWarrantyView } from '../../core/api/terms.js';
import { warrantyStatus, withDiagnosisFee } from '../../core/agreements/warranty.js';
import type { WarrantyAsset, WarrantySection } from '../../core/agreements/warranty.js';
import type { CaseInput } from '../../core/billing/index.js';
import { localDate } from '../../core/reports/index.js';
import type { Contract } from '../../db/repos/customers.js';
import type { Ticket } from '../../db/repos/tickets.js';
import { ApiFailure } from '../api/dispatch.js';
import type { AppContext } from '../app/context.js';
import { contractZone } from '../reports/zone.js';
import { quoteAcceptedOf } from './quote.js';

type Ctx = Pick<AppContext, 'store' | 'planner' | 'clock' | 'timezone'>;

/** The zone a contract's dates are read in (the one its SLA report months are cut in); the user's when it does not compile. */
export async function contractZoneOf(ctx: Ctx, c: Contract): Promise<string> {
  try {
    return contractZone(c, await ctx.planner.contractFor({ contractId: c.id, contractVersion: c.version }), ctx.timezone());
  } catch {
    return ctx.timezone();
  }
}

/** The asset's warranty under the contract `contractId` (else the customer's first contract with warranty terms). */
export async function assetWarrantyView(
  ctx: Ctx,
  asset: WarrantyAsset & { id: string | null; customerId: string; serialNumber: string | null },
  contractId: string | null,
): Promise<AssetWarrantyView> {
  let c: Contract | null = contractId ? await ctx.store.customers.getContract(contractId) : null;
  let section: WarrantySection | null = c ? ((await ctx.store.agreements.contract(c.id))?.warranty ?? null) : null;
  if (!c) {
    for (const k of await ctx.store.customers.contractsOf(asset.customerId)) {
      const w = (await ctx.store.agreements.contract(k.id))?.warranty;
      if (!w) continue;
      c = k;
      section = w;
      break;
    }
  }
  const today = localDate(ctx.clock.now(), c ? await contractZoneOf(ctx, c) : ctx.timezone());
  const status = warrantyStatus(asset, section, today);
  return {
    assetId: asset.id,
    product: asset.product,
    serialNumber: asset.serialNumber,
    purchaseDate: asset.purchaseDate,
    warrantyUntil: asset.warrantyUntil ?? null,
    status,
    diagnosisFee: section?.diagnosisFee ?? null,
  };
}

/** The asset a ticket is about: the one it names, else the customer's asset with the intake's serial number, else the intake's product (purchase date unknown). */
async function ticketAsset(ctx: Ctx, t: Ticket): Promise<(WarrantyAsset & { id: string | null; customerId: string; serialNumber: string | null }) | null> {
  const named = t.assetId ? await ctx.store.agreements.asset(t.assetId) : null;
  if (named) return named;
  const serial = t.intake.serial_number?.trim() || null;
  const bySerial = serial ? await ctx.store.agreements.assetBySerial(t.customerId, serial) : null;
  if (bySerial) return bySerial;
  const product = t.intake.product?.trim() || null;
  return product || serial ? { id: null, customerId: t.customerId, product, serialNumber: serial, purchaseDate: null, warrantyUntil: null } : null;
}

async function ticketWarrantyOf(ctx: Ctx, t: Ticket, events: ReadonlyArray<{ type: string; at: number; data: Record<string, unknown> }>): Promise<TicketWarrantyView> {
  const quoteAccepted = quoteAcceptedOf(events);
  const asset = await ticketAsset(ctx, t);
  if (!asset) return { ticketId: t.id, asset: null, quoteAccepted, proposedFee: null };
  const a = await assetWarrantyView(ctx, asset, t.contractId);
  const fee = withDiagnosisFee({ entries: [] }, a.status, a.diagnosisFee ? { terms: [], diagnosisFee: a.diagnosisFee } : null, quoteAccepted).fees?.[0];
  return { ticketId: t.id, asset: a, quoteAccepted, proposedFee: fee ? { fee: fee.fee, waived: fee.waived === true } : null };
}

export async function ticketWarrantyView(ctx: Ctx, ticketId: string): Promise<TicketWarrantyView> {
  const t = await ctx.store.tickets.get(ticketId);
  if (!t) throw new ApiFailure('not_found', `ticket ${ticketId} does not exist`, 'ticketId');
  return ticketWarrantyOf(ctx, t, await ctx.store.tickets.events(t.id));
}

/** The case's billable input with the diagnosis fee proposed (or waived) by its asset's warranty. */
export async function withWarrantyFees(ctx: Ctx, t: Ticket, input: CaseInput, events: ReadonlyArray<{ type: string; at: number; data: Record<string, unknown> }>): Promise<CaseInput> {
  const w = await ticketWarrantyOf(ctx, t, events);
  if (!w.asset?.diagnosisFee) return input;
  return withDiagnosisFee(input, w.asset.status, { terms: [], diagnosisFee: w.asset.diagnosisFee }, w.quoteAccepted);
}
