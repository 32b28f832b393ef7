/** Handlers for billing and reports (core/api/reports.ts, docs/reports.md). */
import type { z } from 'zod';
import type { Reply } from '../../../core/api/contract.js';
import { formatPath } from '../../../core/api/contract.js';
import type { CaseInvoiceView, FileView, MonthInvoicesView, SlaReportView } from '../../../core/api/reports.js';
import { reportsMethods } from '../../../core/api/reports.js';
import { BillingError, priceCase } from '../../../core/billing/index.js';
import type { RateCard } from '../../../core/billing/index.js';
import { caseInputFromEvents, invoiceCsv, loggedEntries, monthRange, proposedEntries, slaReport, slaReportCsv } from '../../../core/reports/index.js';
import type { InvoiceCase, ReportTicket } from '../../../core/reports/index.js';
import { slaUnavailableIssue } from '../../../core/sla/index.js';
import type { Contract as SlaContract } from '../../../core/sla/index.js';
import type { Contract } from '../../../db/repos/customers.js';
import type { Ticket } from '../../../db/repos/tickets.js';
import { ApiFailure } from '../../api/dispatch.js';
import type { HandlersFor } from '../../api/dispatch.js';
import type { AppContext } from '../../app/context.js';
import { guard } from '../../api/guard.js';
import { requireContract as requireContractIn, requireTicket as requireTicketIn } from '../../api/require.js';
import { clockEvents, slaEvents } from '../../tickets/sla-events.js';
import { slaProblem } from '../../tickets/schedule.js';
import { renderPdf } from '../../reports/pdf.js';
import { printAvailability } from '../../agreements/availability.js';
import { visitFigures } from '../../agreements/report.js';
import { contractZone } from '../../reports/zone.js';
import { withWarrantyFees } from '../../agreements/warranty-of.js';
import { reportFeeCases } from '../../agreements/report-fees.js';
import { kpiResults } from '../../../core/agreements/reports.js';

type Req<M extends keyof typeof reportsMethods> = z.output<(typeof reportsMethods)[M]['request']>;

export interface ReportsOptions {
  /** Renders the print page to PDF (default: Chromium through playwright-core). */
  renderPdf?: typeof renderPdf;
}

export function reportsHandlers(ctx: AppContext, opts: ReportsOptions = {}): HandlersFor<typeof reportsMethods> {
  const store = ctx.store;

  const requireTicket = (id: string, path: string): Promise<Ticket> => requireTicketIn(store, id, path);
  const requireContract = (id: string): Promise<Contract> => requireContractIn(store, id);
  const compiled = async (c: Contract): Promise<SlaContract> => ctx.sla.compile(c);
  function rateCardOf(c: Contract): RateCard | null {
    return (c.rateCard as RateCard | null) || null;
  }
  const zoneOf = (c: Contract, sla: SlaContract): string => contractZone(c, sla, ctx.timezone());
  /** Every ticket of the customer created before `to`, oldest first. */
  async function ticketsOf(customerId: string, to: number): Promise<Ticket[]> {
    const out: Ticket[] = [];
    let before: { createdAt: number; id: string } | null = null;
    for (;;) {
      const page: { items: Ticket[]; next: { createdAt: number; id: string } | null } = await store.tickets.byCustomer(customerId, { limit: 500, before });
      for (const t of page.items) if (t.createdAt < to) out.push(t);
      if (!page.next) break;
      before = page.next;
    }
    return out.reverse();
  }

  async function priceTicket(t: Ticket, names: Map<string, string>): Promise<{ view: CaseInvoiceView; card: RateCard | null }> {
    let customerName = names.get(t.customerId);
    if (customerName === undefined) names.set(t.customerId, (customerName = (await store.customers.getCustomer(t.customerId))?.name ?? '?'));
    const c = t.contractId ? await store.customers.getContract(t.contractId) : null;
    const view: CaseInvoiceView = {
      ticketId: t.id,
      caseNumber: t.caseNumber,
      customerName,
      agreementNumber: c?.agreementNumber ?? null,
      createdAt: t.createdAt,
      title: t.title,
      invoice: null,
      error: null,
    };
    if (!c) return { view: { ...view, error: { code: 'no_contract', message: 'the case has no contract, so no rate card' } }, card: null };
    const card = rateCardOf(c);
    if (!card) return { view: { ...view, error: { code: 'no_rate_card', message: `contract ${c.agreementNumber} has no rate card` } }, card: null };
    let calendars: SlaContract['calendars'];
    try {
      calendars = (await compiled(c)).calendars;
    } catch (e) {
      const why = slaUnavailableIssue('', e, { agreement: c.agreementNumber });
      return { view: { ...view, error: { code: 'no_sla', message: why.message, issue: why } }, card: null };
    }
    try {
      const events = await store.tickets.events(t.id);
      const input = await withWarrantyFees(ctx, t, caseInputFromEvents(events), events);
      view.invoice = priceCase(card, input, calendars);
    } catch (e) {
      if (!(e instanceof BillingError)) throw e;
      view.error = { code: 'rate_card', message: e.message, path: e.path, issue: e.issue };
    }
    return { view, card };
  }

  async function month(r: Req<'billing.month'>): Promise<{ view: MonthInvoicesView; cases: InvoiceCase[] }> {
    const cu = await store.customers.getCustomer(r.customerId);
    if (!cu) throw new ApiFailure('not_found', `customer ${r.customerId} does not exist`, 'customerId');
    const timezone = ctx.timezone();
    const { from, to } = monthRange(r.month, timezone);
    const names = new Map([[cu.id, cu.name]]);
    const views: CaseInvoiceView[] = [];
    const cases: InvoiceCase[] = [];
    const totals = new Map<string, { currency: string; subtotal: number; vat: number; total: number }>();
    const priced: Array<{ view: CaseInvoiceView; card: RateCard | null }> = [];
    for (const t of await ticketsOf(cu.id, to)) if (t.createdAt >= from) priced.push(await priceTicket(t, names));
    // Fees of the reports sent in the month (scheduled reports, main/agreements/report-fees.ts).
    priced.push(...(await reportFeeCases(ctx, cu, from, to, compiled)));
    for (const { view, card } of priced) {
      views.push(view);
      const inv = view.invoice;
      if (!inv || !card || !inv.lines.length) continue;
      cases.push({ caseNumber: view.caseNumber, customer: cu.name, agreementNumber: view.agreementNumber ?? '', date: view.createdAt, invoice: inv, card });
      const tot = totals.get(inv.currency) ?? { currency: inv.currency, subtotal: 0, vat: 0, total: 0 };
      tot.subtotal += inv.subtotal;
      tot.vat += inv.vat;
      tot.total += inv.total;
      totals.set(inv.currency, tot);
    }
    return { view: { month: r.month, timezone, customerId: cu.id, customerName: cu.name, cases: views, totals: [...totals.values()] }, cases };
  }

  async function report(r: Req<'reports.sla'>): Promise<SlaReportView> {
    const c = await requireContract(r.contractId);
    let sla: SlaContract;
    try {
      sla = await compiled(c);
    } catch (e) {
      throw ApiFailure.invalid([slaUnavailableIssue('contractId', e, { agreement: c.agreementNumber })]);
    }
    const timezone = zoneOf(c, sla);
    const { to } = monthRange(r.month, timezone);
    const tickets: ReportTicket[] = [];
    for (const t of await ticketsOf(c.customerId, to)) {
      if (t.contractId !== c.id) continue;
      const log = await store.tickets.events(t.id);
      const events = slaEvents(t, log);
      // A ticket whose policy is not in the contract (it arrived by sync, an old store) cannot be computed: left out, not the whole report.
      const unknown = events.find((e) => (e.type === 'created' || e.type === 'policy_changed') && !sla.policies.has(e.policy));
      if (unknown) ctx.log(`reports: case ${t.caseNumber} left out of the SLA report: cannot compute SLA: policy "${(unknown as { policy: string }).policy}" is not in contract ${c.agreementNumber}`);
      else if (events.length) tickets.push({ id: t.id, caseNumber: t.caseNumber, createdAt: t.createdAt, events, clockEvents: clockEvents(t, log) });
    }
    const figures = slaReport({ month: r.month, timezone, asOf: ctx.clock.now(), tickets, policies: sla.policies, calendars: sla.calendars });
    const policyNames = Object.fromEntries(Object.entries(c.policySet.policies).map(([id, p]) => [id, typeof p.name === 'string' ? p.name : id]));
    const customerName = (await store.customers.getCustomer(c.customerId))?.name ?? '?';
    // The contract's guaranteed KPIs, met or breached by these figures (docs/scheduled-reports.md).
    const section = (await store.agreements.contract(c.id))?.reports;
    return {
      ...figures,
      contractId: c.id,
      customerName,
      agreementNumber: c.agreementNumber,
      contractName: c.name,
      policyNames,
      visits: await visitFigures(ctx, c, { ...monthRange(r.month, timezone) }, figures.asOf),
      kpis: section ? kpiResults(section, figures) : [],
    };
  }

  const fileName = (...parts: string[]) => parts.join('-').replace(/[^A-Za-z0-9._-]+/g, '_');

  /** What the print page may call. */
  async function printCall(method: string, request: unknown): Promise<Reply<unknown>> {
    try {
      if (method === 'agreements.availability') return await printAvailability(ctx, request); // issue 20: the services' month
      if (method !== 'reports.sla') return { ok: false, error: { code: 'unknown_method', message: `the print page may not call ${method}` } };
      const parsed = reportsMethods['reports.sla'].request.safeParse(request);
      if (!parsed.success) {
        const i = parsed.error.issues[0];
        return { ok: false, error: { code: 'invalid_request', message: i?.message ?? 'invalid', path: formatPath(i?.path ?? []) } };
      }
      return { ok: true, result: await guard(() => report(parsed.data)) };
    } catch (e) {
      const err = e as ApiFailure;
      return { ok: false, error: { code: err instanceof ApiFailure ? err.code : 'internal', message: err.message } };
    }
  }

  return {
    'billing.addTimeEntry': (r) =>
      guard(async () => {
        const t = await requireTicket(r.ticketId, 'ticketId');
        const now = ctx.clock.now();
        let { start, end } = r;
        const minutes = r.minutes ?? null;
        if (start != null && end != null) {
          if (end <= start) throw new ApiFailure('invalid_request', 'must be after the start', 'end');
        } else if (start != null && minutes) end = start + minutes * 60_000;
        else if (end != null && minutes) start = end - minutes * 60_000;
        else if (minutes && start == null && end == null) ((end = now), (start = now - minutes * 60_000));
        else throw new ApiFailure('invalid_request', 'give a start and an end, or a duration', start == null ? 'start' : 'minutes');
        const m = Math.ceil(((end as number) - (start as number)) / 60_000);
        if (m > 24 * 60) throw new ApiFailure('invalid_request', 'at most 24 hours per entry', 'end');
        if (r.fromVisit && (await store.tickets.events(t.id)).some((e) => e.type === 'time_entry' && e.data.fromVisit === r.fromVisit))
          throw new ApiFailure('conflict', `the visit's ${r.fromVisit} time is already logged`, 'fromVisit');
        // The work may start before the case was registered (the call itself); the event is logged no earlier than the case.
        const [ev] = await store.tickets.appendEvent(t.id, {
          type: 'time_entry',
          at: Math.max(t.createdAt, Math.min(now, end as number)),
          author: r.author,
          data: { minutes: m, level: r.level, kind: r.kind, start, end, billable: r.billable, text: r.text, ...(r.fromVisit ? { fromVisit: r.fromVisit } : {}) },
        });
        await ctx.ticketsChanged([t.id]);
        return { ticketId: t.id, eventId: ev?.id ?? '' };
      }),

    'billing.addVisit': (r) =>
      guard(async () => {
        const t = await requireTicket(r.ticketId, 'ticketId');
        if (r.arrivedAt < t.createdAt) throw new ApiFailure('invalid_request', 'is before the case was created', 'arrivedAt');
        if (r.leftAt != null && r.leftAt < r.arrivedAt) throw new ApiFailure('invalid_request', 'is before the arrival', 'leftAt');
        const [ev] = await store.tickets.appendEvent(t.id, {
          type: 'visit',
          at: r.arrivedAt,
          author: r.author,
          data: { arrivedAt: r.arrivedAt, leftAt: r.leftAt ?? null, technician: r.technician, text: r.text, km: r.km ?? null, fees: r.fees.length ? r.fees : null },
        });
        await ctx.ticketsChanged([t.id]);
        return { ticketId: t.id, eventId: ev?.id ?? '' };
      }),

    'billing.setRateCard': ({ contractId, rateCard }) =>
      guard(async () => {
        const c = await requireContract(contractId);
        const card = rateCard as RateCard;
        try {
          // Checks every rate, the calendar and the fees by pricing a little of everything.
          const entries = Object.keys(card.rates).map((level) => ({ start: 0, end: 60_000, level, kind: 'remote' as const, billable: true }));
          priceCase(card, { entries, km: card.mileagePerKm !== undefined ? 1 : 0, fees: Object.keys(card.fees ?? {}).map((fee) => ({ fee })) }, (await compiled(c)).calendars);
        } catch (e) {
          if (e instanceof BillingError) throw ApiFailure.invalid([{ ...e.issue, path: `rateCard.${e.path}` }]);
          throw e;
        }
        // The rate card travels with the contract record to every device (docs/sync.md).
        await store.customers.setContractDetails(c.id, { rateCard: card });
        return { ok: true as const };
      }),

    'billing.rateCard': ({ contractId }) =>
      guard(async () => {
        const c = await requireContract(contractId);
        const rateCard: RateCard | null = (await rateCardOf(c)) ?? null;
        return { rateCard, calendars: Object.keys(c.policySet.calendars) };
      }),

    'billing.case': ({ ticketId }) =>
      guard(async () => {
        const t = await requireTicket(ticketId, 'ticketId');
        const { view } = await priceTicket(t, new Map());
        const events = await store.tickets.events(t.id);
        return { ...view, timeEntries: loggedEntries(events), proposals: proposedEntries(events) };
      }),

    'billing.month': (r) => guard(async () => (await month(r)).view),

    'billing.csv': (r) =>
      guard(async () => {
        const { view, cases } = await month(r);
        const file: FileView = { filename: fileName('invoices', view.customerName, r.month) + '.csv', content: invoiceCsv(cases, view.timezone), mediaType: 'text/csv;charset=utf-8' };
        return file;
      }),

    'reports.sla': (r) => guard(() => report(r)),

    'reports.slaCsv': (r) =>
      guard(async () => {
        const rep = await report(r);
        return {
          filename: fileName('sla', rep.agreementNumber, r.month) + '.csv',
          content: slaReportCsv(rep, { customer: rep.customerName, agreementNumber: rep.agreementNumber }),
          mediaType: 'text/csv;charset=utf-8',
        };
      }),

    'reports.slaPdf': (r) =>
      guard(async () => {
        const c = await requireContract(r.contractId);
        const pdf = await (opts.renderPdf ?? renderPdf)({ query: { print: 'sla', contract: r.contractId, month: r.month }, language: r.language, timezone: ctx.timezone(), call: printCall });
        return { filename: fileName('sla', c.agreementNumber, r.month) + '.pdf', content: pdf.toString('base64'), mediaType: 'application/pdf' };
      }),
  };
}
