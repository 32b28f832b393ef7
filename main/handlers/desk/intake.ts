/** Taking a call: who is calling, the support code, the deadlines a new ticket would get, registering it: core/api/desk.ts, docs/desk.md. */
import { randomBytes } from 'node:crypto';
import { ticketPriority } from '../../../core/domain/index.js';
import type { CallerView, CustomerView, deskMethods, IntakePreview } from '../../../core/api/desk.js';
import { createUuid7 } from '../../../core/ids/uuid7.js';
import { issue } from '../../../core/sla/index.js';
import { ApiFailure } from '../../api/dispatch.js';
import type { HandlersFor } from '../../api/dispatch.js';
import { guard } from '../../api/guard.js';
import { requireContract } from '../../api/require.js';
import type { AppContext } from '../../app/context.js';
import { ticketsChanged } from '../../tickets/changed.js';
import { contactView, summaryOf, ticketViews } from '../../tickets/views.js';
import { registerIssues } from './register-check.js';

export function intakeHandlers(ctx: AppContext): Pick<HandlersFor<typeof deskMethods>, 'desk.lookup' | 'desk.verifySupportCode' | 'desk.preview' | 'desk.register'> {
  const store = ctx.store;
  const { compiledOrRefuse, targetViews, views, summary, customerName, customerView } = ticketViews(ctx);
  // A registration names its ticket: the store answers that id only when this call created it (a retried intake answers the first).
  const ticketId = createUuid7(ctx.clock, (n) => randomBytes(n));

  return {
    'desk.lookup': ({ query }) =>
      guard(async () => {
        const q = query.trim();
        if (!q) return { callers: [], customers: [] };
        const callers: CallerView[] = [];
        if (/\d{3,}/.test(q.replace(/\D/g, '')) && /^[+\d\s().-]+$/.test(q)) {
          const names = new Map<string, string>();
          for (const m of await store.customers.contactsByPhone(q)) {
            const c = await store.customers.getContract(m.contractId);
            if (!c) continue;
            names.set(m.customerId, m.customerName);
            callers.push({ contact: contactView(m.contact), contract: summaryOf(c, m.customerName) });
          }
          return { callers, customers: [] };
        }
        const customers: CustomerView[] = [];
        for (const cu of await store.customers.findCustomers(q, 20)) customers.push(await customerView(cu));
        // contacts by name within the customers found (and agreement numbers typed directly)
        const byNumber = await store.customers.contractByAgreementNumber(q);
        if (byNumber && !customers.some((c) => c.id === byNumber.customerId)) {
          const cu = await store.customers.getCustomer(byNumber.customerId);
          if (cu) customers.unshift(await customerView(cu));
        }
        for (const cu of customers)
          for (const s of cu.contracts) {
            const c = await store.customers.getContract(s.id);
            for (const k of c?.contacts ?? []) callers.push({ contact: contactView(k), contract: s });
          }
        return { callers, customers };
      }),

    'desk.verifySupportCode': ({ contractId, code }) => guard(async () => ({ valid: await store.customers.verifySupportCode(contractId, code) })),

    'desk.preview': ({ contractId, policy }) =>
      guard(async () => {
        const c = await requireContract(store, contractId);
        const sla = await compiledOrRefuse(c);
        const p = sla.policies.get(policy);
        if (!p) throw new ApiFailure('invalid_request', `policy "${policy}" is not in contract ${c.agreementNumber}`, 'policy');
        const now = ctx.clock.now();
        const cal = sla.calendars.get(p.calendar);
        const open = cal ? cal.isOpen(now) : true;
        const r = ctx.sla.fresh(c, policy, now);
        if (!r?.ok) throw new ApiFailure('invalid_request', `contract ${c.agreementNumber}: cannot compute SLA: ${r?.reason ?? 'no policy'}`, 'contractId');
        const preview: IntakePreview = {
          now,
          policy,
          open,
          opensAt: open || !cal ? null : cal.nextOpen(now),
          timezone: cal?.timezone ?? ctx.timezone(),
          targets: targetViews(r.status.targets, sla, (c.wording as Record<string, string> | null) ?? {}, policy, now),
        };
        return preview;
      }),

    'desk.register': (r) =>
      guard(async () => {
        // The customer's name (for the answer) goes to the store's worker with the contract's read, not after the plan.
        const [c, name] = await Promise.all([requireContract(store, r.contractId), customerName(r.customerId)]);
        if (c.customerId !== r.customerId) throw new ApiFailure('invalid_request', `contract ${c.agreementNumber} belongs to another customer`, 'contractId');
        if (r.authorisedBy === 'contact') {
          if (!r.contactId || !c.contacts.some((k) => k.id === r.contactId)) throw new ApiFailure('invalid_request', `is not an authorised contact of ${c.agreementNumber}`, 'contactId');
        } else if (!r.supportCode || !(await store.customers.verifySupportCode(c.id, r.supportCode))) {
          throw new ApiFailure('invalid_request', `is not the support code of ${c.agreementNumber}: the caller may not report on this contract`, 'supportCode');
        }
        const contact = r.contactId ? c.contacts.find((k) => k.id === r.contactId) : undefined;
        // Every problem at once, each at its field; a critical fault gets the contract's critical policy (its clock).
        const [first, ...rest] = registerIssues(c, r);
        if (first) throw ApiFailure.invalid([first, ...rest]);
        const policy = r.critical && c.criticalPolicy ? c.criticalPolicy : r.policy;
        // The SLA first: a contract whose SLA cannot be computed gets the ticket refused, before anything is stored.
        const now = ctx.clock.now();
        const sla = await compiledOrRefuse(c);
        if (!sla.policies.has(policy)) throw new ApiFailure('invalid_request', `policy "${policy}" is not in contract ${c.agreementNumber}`, 'policy');
        // The engine runs once: for the schedule and SLA summary stored with the ticket, its alert plan and the answer.
        const outcome = ctx.sla.fresh(c, policy, now);
        if (!outcome) throw new ApiFailure('invalid_request', `contract ${c.agreementNumber}: cannot compute SLA: no policy`, 'contractId');
        if (!outcome.ok) throw ApiFailure.invalid([{ ...issue('contractId', 'contractSlaUnavailable', { agreement: c.agreementNumber, why: outcome.reason }), cause: outcome.issues }]);
        const schedule = ctx.sla.toStore('open', outcome, now, c.version);
        // One transaction: the ticket, its created event, its schedule and SLA summary (a crash leaves all or nothing).
        const id = ticketId();
        const t = await store.tickets.register({
          id,
          intakeId: r.intakeId,
          customerId: r.customerId,
          contractId: r.contractId,
          policy,
          priority: ticketPriority(r.critical, policy, c.criticalPolicy),
          channel: r.channel,
          assignee: r.assignee,
          title: r.title,
          description: r.description,
          reporterName: r.reporterName ?? contact?.name ?? null,
          reporterPhone: r.reporterPhone ?? contact?.phone ?? null,
          customerRef: r.intake.customer_ref?.trim() || null,
          intake: r.intake,
          author: r.author,
          at: now,
          nextDueAt: schedule?.nextDueAt ?? null,
          nextCallbackAt: schedule?.nextCallbackAt ?? null,
          sla: schedule?.sla ?? null,
        });
        // A retried intake answers the ticket registered first: that one is planned and shown from the store.
        const registeredNow = t.id === id;
        const change = registeredNow ? ctx.sla.changeOf({ ticket: t, events: [], contract: c }, 'open', outcome, now) : undefined;
        // The ticket this call created has no alerts yet: the scheduler reads none for it (alert-cache.ts `created`).
        if (change?.planned) change.planned.created = true;
        // The answer does not wait for the scheduler (busy with a pass, it would hold the answer): the plan is queued
        // now, before any later change of the ticket, and a failure is logged (changed.ts); unplanned, the next start plans it.
        void ticketsChanged(ctx, [t.id], change);
        return { ticket: summary(t, t.customerId === r.customerId ? name : await customerName(t.customerId), c, registeredNow ? views(outcome, now) : undefined) };
      }),
  };
}
