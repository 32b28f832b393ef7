/**
 * Handlers of core/api/agreements.ts: scheduled reports (what is due, the PDF,
 * recording a send) and warranty (an asset's status, the diagnosis fee, the
 * accepted quote). docs/scheduled-reports.md, docs/warranty.md.
 */
import type { ContractAgreementsView, DueReportView } from '../../../core/api/terms.js';
import type { termsMethods } from '../../../core/api/terms.js';
import type { FileView } from '../../../core/api/reports.js';
import { reportsWarrantyIssues } from '../../../core/agreements/reports-warranty.js';
import { dueReports, sentKey } from '../../../core/agreements/reports.js';
import type { ReportsSection } from '../../../core/agreements/reports.js';
import type { WarrantySection } from '../../../core/agreements/warranty.js';
import type { ContractAgreements } from '../../../db/repos/agreements.js';
import type { Contract } from '../../../db/repos/customers.js';
import { ApiFailure } from '../../api/dispatch.js';
import type { HandlersFor } from '../../api/dispatch.js';
import type { AppContext } from '../../app/context.js';
import { guard } from '../../api/guard.js';
import { reportsHandlers } from './handlers.js';
import type { ReportsOptions } from './handlers.js';
import { assetWarrantyView, contractZoneOf, ticketWarrantyView } from '../../agreements/warranty-of.js';

export function termsHandlers(ctx: AppContext, opts: ReportsOptions = {}): HandlersFor<typeof termsMethods> {
  const store = ctx.store;
  const reports = reportsHandlers(ctx, opts);

  async function requireContract(id: string): Promise<Contract> {
    const c = await store.customers.getContract(id);
    if (!c) throw new ApiFailure('not_found', `contract ${id} does not exist`, 'contractId');
    return c;
  }
  const zoneOf = (c: Contract) => contractZoneOf(ctx, c);

  async function dueOf(c: Contract, a: ContractAgreements, now: number): Promise<DueReportView[]> {
    if (!a.reports) return [];
    const timezone = await zoneOf(c);
    const customerName = (await store.customers.getCustomer(c.customerId))?.name ?? '?';
    const sent = new Set(a.reportsSent.map((s) => sentKey(s.schedule, s.period)));
    return dueReports(a.reports, now, timezone, sent).map((d) => {
      const s = (a.reports as ReportsSection).schedules.find((x) => x.id === d.scheduleId)!;
      return {
        ...d,
        contractId: c.id,
        agreementNumber: c.agreementNumber,
        customerName,
        scheduleName: s.name ?? s.id,
        every: s.every,
        to: s.to,
        fee: s.fee ?? null,
        timezone,
        sent: a.reportsSent.filter((x) => x.schedule === d.scheduleId),
      };
    });
  }

  async function view(c: Contract): Promise<ContractAgreementsView> {
    const a = await store.agreements.contract(c.id);
    if (!a) throw new ApiFailure('not_found', `contract ${c.id} does not exist`, 'contractId');
    return { contractId: c.id, agreementNumber: c.agreementNumber, reports: a.reports, warranty: a.warranty, due: await dueOf(c, a, ctx.clock.now()), reportsSent: a.reportsSent };
  }

  return {
    'agreements.contract': ({ contractId }) => guard(async () => view(await requireContract(contractId))),

    'agreements.setSections': (r) =>
      guard(async () => {
        const c = await requireContract(r.contractId);
        const issues = reportsWarrantyIssues({ reports: r.reports ?? undefined, warranty: r.warranty ?? undefined });
        if (issues.length) throw new ApiFailure('invalid_request', (issues[0] as { message: string }).message, (issues[0] as { path: string }).path, issues);
        const patch: { reports?: ReportsSection | null; warranty?: WarrantySection | null } = {};
        if (r.reports !== undefined) patch.reports = r.reports as ReportsSection | null;
        if (r.warranty !== undefined) patch.warranty = r.warranty as WarrantySection | null;
        await store.agreements.setSections(c.id, patch);
        await ctx.agreementsChanged?.();
        return view(c);
      }),

    'agreements.dueReports': () =>
      guard(async () => {
        const now = ctx.clock.now();
        const out: DueReportView[] = [];
        for (const a of await store.agreements.withReports()) {
          const c = await store.customers.getContract(a.contractId);
          if (c) out.push(...(await dueOf(c, a, now)));
        }
        const rank = { overdue: 0, open: 1, upcoming: 2 } as const;
        out.sort((x, y) => rank[x.state] - rank[y.state] || x.windowFrom - y.windowFrom || x.agreementNumber.localeCompare(y.agreementNumber));
        return { reports: out, now };
      }),

    'agreements.reportPdf': (r) =>
      guard(async () => {
        const c = await requireContract(r.contractId);
        const a = await store.agreements.contract(c.id);
        const s = a?.reports?.schedules.find((x) => x.id === r.schedule);
        if (!s) throw new ApiFailure('invalid_request', `contract ${c.agreementNumber} has no report schedule "${r.schedule}"`, 'schedule');
        const quarter = /^(\d{4})-Q([1-4])$/.exec(r.period);
        if ((s.every === 'quarter') !== !!quarter)
          throw new ApiFailure('invalid_request', `schedule "${s.id}" is ${s.every}ly: give a ${s.every === 'quarter' ? 'quarter like 2026-Q4' : 'month like 2026-11'}`, 'period');
        const months = quarter ? [1, 2, 3].map((i) => `${quarter[1]}-${String((Number(quarter[2]) - 1) * 3 + i).padStart(2, '0')}`) : [r.period];
        const files: FileView[] = [];
        for (const month of months) files.push(await reports['reports.slaPdf']({ contractId: c.id, month, ...(r.language ? { language: r.language } : {}) }));
        return { files };
      }),

    'agreements.markReportSent': (r) =>
      guard(async () => {
        const c = await requireContract(r.contractId);
        const a = await store.agreements.contract(c.id);
        if (!a?.reports?.schedules.some((x) => x.id === r.schedule)) throw new ApiFailure('invalid_request', `contract ${c.agreementNumber} has no report schedule "${r.schedule}"`, 'schedule');
        await store.agreements.recordReportSent(c.id, { schedule: r.schedule, period: r.period, sentAt: ctx.clock.now(), to: r.to, by: r.by ?? null });
        await ctx.agreementsChanged?.();
        return view(c);
      }),

    'agreements.intakeWarranty': ({ contractId, product, serialNumber }) =>
      guard(async () => {
        const c = await requireContract(contractId);
        const serial = serialNumber || null;
        const onFile = serial ? await store.agreements.assetBySerial(c.customerId, serial) : null;
        return assetWarrantyView(ctx, onFile ?? { id: null, customerId: c.customerId, product: product || null, serialNumber: serial, purchaseDate: null, warrantyUntil: null }, c.id);
      }),

    'agreements.saveAsset': ({ contractId, product, serialNumber, purchaseDate, warrantyUntil }) =>
      guard(async () => {
        const c = await requireContract(contractId);
        // the dates were checked with the record's own rule where the request entered (core/api/terms.ts)
        const saved = await store.agreements.saveAsset({ customerId: c.customerId, product: product || null, serialNumber, purchaseDate, warrantyUntil });
        return assetWarrantyView(ctx, saved, c.id);
      }),

    'agreements.ticketWarranty': ({ ticketId }) => guard(() => ticketWarrantyView(ctx, ticketId)),

    'agreements.setQuoteAccepted': ({ ticketId, accepted, author }) =>
      guard(async () => {
        const t = await store.tickets.get(ticketId);
        if (!t) throw new ApiFailure('not_found', `ticket ${ticketId} does not exist`, 'ticketId');
        await store.tickets.appendEvent(t.id, { type: 'note', author: author ?? null, data: { text: accepted ? 'Repair quote accepted' : 'Repair quote withdrawn', quoteAccepted: accepted } });
        await ctx.ticketsChanged([t.id]);
        return ticketWarrantyView(ctx, t.id);
      }),
  };
}
