/**
 * Report fees on the month's invoice (docs/scheduled-reports.md): which sends
 * are charged is `chargedReports` (core/agreements/reports.ts); each is priced
 * by core/billing like any fee, with the contract's rate card.
 */
import type { CaseInvoiceView } from '../../core/api/reports.js';
import { BillingError, priceCase } from '../../core/billing/index.js';
import type { RateCard } from '../../core/billing/index.js';
import { chargedReports } from '../../core/agreements/reports.js';
import type { Contract as SlaContract } from '../../core/sla/index.js';
import type { Contract } from '../../db/repos/customers.js';
import type { AppContext } from '../app/context.js';

export interface ReportFeeCase {
  view: CaseInvoiceView;
  card: RateCard | null;
}

export async function reportFeeCases(
  ctx: Pick<AppContext, 'store'>,
  customer: { id: string; name: string },
  from: number,
  to: number,
  compiled: (c: Contract) => Promise<SlaContract>,
): Promise<ReportFeeCase[]> {
  const out: ReportFeeCase[] = [];
  for (const c of await ctx.store.customers.contractsOf(customer.id)) {
    const a = await ctx.store.agreements.contract(c.id);
    if (!a?.reports) continue;
    for (const { sent: s, schedule, fee } of chargedReports(a.reports, a.reportsSent, from, to)) {
      const view: CaseInvoiceView = {
        ticketId: `report|${c.id}|${s.schedule}|${s.period}`,
        caseNumber: '',
        customerName: customer.name,
        agreementNumber: c.agreementNumber,
        createdAt: s.sentAt,
        title: `${schedule.name ?? schedule.id} ${s.period}`,
        invoice: null,
        error: null,
      };
      const card = (c.rateCard as RateCard | null) || null;
      if (!card) {
        out.push({ view: { ...view, error: { code: 'no_rate_card', message: `contract ${c.agreementNumber} has no rate card (report fee "${fee}")` } }, card: null });
        continue;
      }
      try {
        const inv = priceCase(card, { entries: [], fees: [{ fee }] }, (await compiled(c)).calendars);
        inv.lines = inv.lines.map((l) => ({ ...l, text: `${l.text} ${s.period}` }));
        out.push({ view: { ...view, invoice: inv }, card });
      } catch (e) {
        if (!(e instanceof BillingError)) throw e;
        out.push({ view: { ...view, error: { code: 'rate_card', message: e.message, path: e.path } }, card: null });
      }
    }
  }
  return out;
}
