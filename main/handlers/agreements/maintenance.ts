/** Handlers of planned visits and their inspection report (core/api/agreements.ts, docs/maintenance.md). */
import type { MaintenancePlanView, PlannedVisitView, VisitReportView } from '../../../core/api/agreements.js';
import type { agreementsMethods } from '../../../core/api/agreements.js';
import type { Reply } from '../../../core/api/contract.js';
import { formatPath } from '../../../core/api/contract.js';
import { fieldMethods } from '../../../core/api/field.js';
import { activePlans, checkMaintenance, visitOf } from '../../../core/agreements/maintenance.js';
import type { MaintenancePlan } from '../../../core/agreements/maintenance.js';
import { localDate } from '../../../core/reports/month.js';
import type { TicketEvent } from '../../../db/repos/tickets.js';
import { ApiFailure } from '../../api/dispatch.js';
import type { HandlersFor } from '../../api/dispatch.js';
import type { AppContext } from '../../app/context.js';
import { guard } from '../../api/guard.js';
import { renderPdf } from '../../reports/pdf.js';
import { isClosedStatus } from '../../../core/domain/index.js';
import type { PdfOptions } from '../../reports/pdf.js';
import { contractVisits, planVisits } from '../../agreements/visits.js';

const DAY = 86_400_000;

export interface AgreementsOptions {
  renderPdf?: (opts: PdfOptions) => Promise<Buffer>;
  /** `field.photoData` (the field handlers' own; composed by main/app/services.ts, since no handler area imports another). */
  photoData: HandlersFor<typeof fieldMethods>['field.photoData'];
}

/** The steps in force (a corrected step counts at its corrected time), in time order. */
function stepsInForce(events: readonly TicketEvent[]): VisitReportView['steps'] {
  const steps = events.filter((e) => e.type === 'visit_step');
  const replaced = new Set(steps.map((e) => e.data.replaces).filter((x): x is string => typeof x === 'string'));
  return steps
    .filter((e) => !replaced.has(e.id))
    .map((e) => ({ step: String(e.data.step), at: e.at, technician: typeof e.data.technician === 'string' ? e.data.technician : null }))
    .sort((a, b) => a.at - b.at);
}

export async function visitReportOf(ctx: Pick<AppContext, 'store'>, ticketId: string): Promise<VisitReportView> {
  const store = ctx.store;
  const t = await store.tickets.get(ticketId);
  if (!t) throw new ApiFailure('not_found', `ticket ${ticketId} does not exist`, 'ticketId');
  const events = await store.tickets.events(t.id);
  const contract = t.contractId ? await store.customers.getContract(t.contractId) : null;
  const site = t.siteId ? await store.customers.getSite(t.siteId) : null;
  const checklistEv = events.filter((e) => e.type === 'checklist').at(-1);
  const acceptance = events.filter((e) => e.type === 'acceptance').at(-1);
  const v = visitOf(t.intake);
  return {
    ticketId: t.id,
    caseNumber: t.caseNumber,
    customerName: (await store.customers.getCustomer(t.customerId))?.name ?? '?',
    agreementNumber: contract?.agreementNumber ?? null,
    siteName: site?.name ?? null,
    siteAddress: site?.address ?? t.intake.site_address ?? null,
    title: t.title,
    status: t.status,
    assignee: t.assignee,
    visit: v ? { kind: v.kind, planId: v.planId, due: v.due, windowStart: v.windowStart, windowEnd: v.windowEnd } : null,
    steps: stepsInForce(events),
    checklist: ((checklistEv?.data.items as VisitReportView['checklist'] | undefined) ?? []).map((i) => ({ key: i.key, label: i.label, value: i.value ?? null })),
    checklistAt: checklistEv?.at ?? null,
    parts: events
      .filter((e) => e.type === 'parts')
      .flatMap((e) => (e.data.parts as VisitReportView['parts'] | undefined) ?? [])
      .map((p) => ({ product: p.product, serialIn: p.serialIn ?? null, serialOut: p.serialOut ?? null })),
    photos: events.filter((e) => e.type === 'photo').map((e) => ({ sha256: String(e.data.sha256), name: String(e.data.name), mime: String(e.data.mime) })),
    acceptance: acceptance ? { name: String(acceptance.data.name), signature: String(acceptance.data.signature), at: acceptance.at } : null,
  };
}

export function agreementsHandlers(ctx: AppContext, opts: AgreementsOptions): HandlersFor<typeof agreementsMethods> {
  const store = ctx.store;
  const photoData = opts.photoData;

  /** What the inspection report's print page may call: the report and its photos. */
  async function printCall(method: string, request: unknown): Promise<Reply<unknown>> {
    try {
      if (method === 'agreements.visitReport') {
        const r = request as { ticketId?: unknown };
        if (typeof r?.ticketId !== 'string') return { ok: false, error: { code: 'invalid_request', message: 'is required', path: 'ticketId' } };
        return { ok: true, result: await visitReportOf(ctx, r.ticketId) };
      }
      if (method === 'field.photoData') {
        const parsed = fieldMethods['field.photoData'].request.safeParse(request);
        if (!parsed.success) return { ok: false, error: { code: 'invalid_request', message: parsed.error.issues[0]?.message ?? 'invalid', path: formatPath(parsed.error.issues[0]?.path ?? []) } };
        return { ok: true, result: await photoData(parsed.data) };
      }
      return { ok: false, error: { code: 'unknown_method', message: `the print page may not call ${method}` } };
    } catch (e) {
      const err = e as ApiFailure;
      return { ok: false, error: { code: err instanceof ApiFailure ? err.code : 'internal', message: err.message } };
    }
  }

  return {
    'agreements.planVisits': () =>
      guard(async () => {
        const made = await planVisits(ctx);
        if (made.length) await ctx.ticketsChanged(made.map((m) => m.ticket.id));
        return { created: made.map((m) => ({ ticketId: m.ticket.id, caseNumber: m.ticket.caseNumber, planId: m.visit.planId, due: m.visit.due })) };
      }),

    'agreements.visits': ({ contractId }) =>
      guard(async () => {
        const c = await store.customers.getContract(contractId);
        if (!c) throw new ApiFailure('not_found', `contract ${contractId} does not exist`, 'contractId');
        const now = ctx.clock.now();
        const active = new Set(activePlans(c.maintenance, c.defaultPolicy).map((p) => p.id));
        const plans: MaintenancePlanView[] = ((c.maintenance ?? []) as MaintenancePlan[]).map((p) => ({
          id: p.id,
          kind: p.kind,
          title: p.title ?? p.kind,
          level: p.level ?? null,
          perYear: p.perYear ?? null,
          every: p.every ?? null,
          from: p.from ?? null,
          assignee: p.assignee ?? null,
          timezone: p.timezone ?? null,
          active: active.has(p.id),
        }));
        const planned = contractVisits(c, now - 92 * DAY, now + 366 * DAY);
        const tickets = new Map<string, { id: string; caseNumber: string; status: string }>();
        if (planned.length) {
          const first = planned[0] as (typeof planned)[number];
          const last = planned.at(-1) as (typeof planned)[number];
          for (const t of await store.visits.ofContract(c.id, localDate(first.windowStart - 200 * DAY, first.timezone), `${last.due}~`)) {
            const v = visitOf(t.intake);
            if (v) tickets.set(`${v.planId}|${v.due}`, { id: t.id, caseNumber: t.caseNumber, status: t.status });
          }
        }
        const visits: PlannedVisitView[] = planned.map((v) => {
          const t = tickets.get(`${v.planId}|${v.due}`) ?? null;
          return {
            ...v,
            ticketId: t?.id ?? null,
            caseNumber: t?.caseNumber ?? null,
            status: t?.status ?? null,
            missed: v.windowEnd <= now && !(t && isClosedStatus(t.status)),
          };
        });
        // The levels the plans name, with the policies' names: the contract's level is chosen among them.
        const levels = [...new Set(plans.map((p) => p.level).filter((l): l is string => l !== null))].map((l) => ({ id: l, name: String(c.policySet.policies[l]?.name ?? l) }));
        return { plans, visits, maintenance: c.maintenance, level: c.defaultPolicy, levels };
      }),

    'agreements.setMaintenance': ({ contractId, maintenance }) =>
      guard(async () => {
        const c = await store.customers.getContract(contractId);
        if (!c) throw new ApiFailure('not_found', `contract ${contractId} does not exist`, 'contractId');
        const issues = checkMaintenance(maintenance, c.policySet.calendars, c.policySet.policies);
        if (issues.length) throw ApiFailure.invalid(issues.map((i) => ({ path: i.path, message: i.message })) as [(typeof issues)[number], ...typeof issues]);
        // The plans travel with the contract record to every device (docs/sync.md).
        await store.customers.setContractDetails(c.id, { maintenance: maintenance?.length ? maintenance : null });
        const made = await planVisits(ctx);
        if (made.length) await ctx.ticketsChanged(made.map((m) => m.ticket.id));
        return { ok: true as const, created: made.length };
      }),

    'agreements.setLevel': ({ contractId, level }) =>
      guard(async () => {
        await store.visits.setLevel(contractId, level);
        const made = await planVisits(ctx);
        if (made.length) await ctx.ticketsChanged(made.map((m) => m.ticket.id));
        return { ok: true as const, created: made.length };
      }),

    'agreements.visitReport': ({ ticketId }) => guard(() => visitReportOf(ctx, ticketId)),

    'agreements.visitReportPdf': ({ ticketId, language }) =>
      guard(async () => {
        const report = await visitReportOf(ctx, ticketId);
        const pdf = await (opts.renderPdf ?? renderPdf)({ query: { print: 'visit', ticket: ticketId }, language, timezone: ctx.timezone(), call: printCall });
        const name = ['inspection', report.agreementNumber ?? report.customerName, report.visit?.due ?? report.caseNumber].join('-').replace(/[^A-Za-z0-9._-]+/g, '_');
        return { filename: `${name}.pdf`, content: pdf.toString('base64'), mediaType: 'application/pdf' };
      }),
  };
}
