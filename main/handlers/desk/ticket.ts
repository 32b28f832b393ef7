/** One ticket: its page, the actions on it, edits, and what an action would do (what-if): core/api/desk.ts, docs/desk.md. */
import type { deskMethods } from '../../../core/api/desk.js';
import type { TicketEvent as SlaEvent } from '../../../core/sla/index.js';
import { transitionProblem } from '../../../core/tickets/actions.js';
import { op } from '../../../db/client.js';
import type { Ticket } from '../../../db/repos/tickets.js';
import { ApiFailure } from '../../api/dispatch.js';
import type { HandlersFor } from '../../api/dispatch.js';
import { guard } from '../../api/guard.js';
import { requireContract, requireTicket } from '../../api/require.js';
import type { AppContext } from '../../app/context.js';
import { ticketsChanged } from '../../tickets/changed.js';
import { scheduleOf, slaOf } from '../../tickets/schedule.js';
import { slaEvents } from '../../tickets/sla-events.js';
import { evaluated, ticketViews } from '../../tickets/views.js';
import { actCalls } from './act.js';
import type { ActPlan } from './act.js';
import { phoneIssue } from './register-check.js';

export function ticketHandlers(ctx: AppContext): Pick<HandlersFor<typeof deskMethods>, 'desk.ticket' | 'desk.act' | 'desk.editTicket' | 'desk.whatIf'> {
  const store = ctx.store;
  const { evaluate, detail } = ticketViews(ctx);

  /** The ticket after `plan`, and the engine's events then (its log plus what the action appends): desk.act schedules by them, desk.whatIf shows them. */
  async function eventsAfter(t: Ticket, plan: ActPlan): Promise<{ after: Ticket; events: SlaEvent[] }> {
    const after = { ...t, status: plan.status };
    return { after, events: slaEvents(after, [...(await store.tickets.events(t.id)), ...plan.appended]) };
  }

  return {
    'desk.ticket': ({ id }) => guard(async () => detail(await requireTicket(store, id))),

    'desk.act': ({ ticketId, action: a, author }) =>
      guard(async () => {
        const t = await requireTicket(store, ticketId, 'ticketId');
        const problem = transitionProblem(t.status, a.type);
        if (problem) throw new ApiFailure('conflict', problem, 'action.type');
        if (a.type === 'escalate' && a.to === 'vendor' && !a.vendorRef) throw new ApiFailure('invalid_request', "give the vendor's reference", 'action.vendorRef');
        let criticalPolicy: string | null = null;
        if (a.type === 'priority' && t.contractId) {
          const c = await requireContract(store, t.contractId);
          if (!Object.hasOwn(c.policySet.policies, a.policy)) throw new ApiFailure('invalid_request', `policy "${a.policy}" is not in contract ${c.agreementNumber}`, 'action.policy');
          criticalPolicy = c.criticalPolicy;
        }
        // The event(s), the fields and the schedule after the action: computed first, written in one transaction.
        const now = ctx.clock.now();
        const plan = actCalls(t, a, author ?? null, now, criticalPolicy);
        const { after, events } = await eventsAfter(t, plan);
        const r = await slaOf(ctx, after, { events, now });
        const schedule = scheduleOf(plan.status, r?.ok ? r.status.targets : null);
        if (schedule) plan.calls.push(op('tickets', 'setSchedule', t.id, schedule));
        await store.batch(plan.calls);
        await ticketsChanged(ctx, [ticketId]);
        return detail(await requireTicket(store, ticketId));
      }),

    'desk.editTicket': ({ ticketId, author, ...fields }) =>
      guard(async () => {
        const t = await requireTicket(store, ticketId, 'ticketId');
        const c = t.contractId ? await store.customers.getContract(t.contractId) : null;
        const phone = c && fields.reporterPhone !== t.reporterPhone ? phoneIssue(fields.reporterPhone, c, 'reporterPhone') : null;
        if (phone) throw ApiFailure.invalid([phone]);
        // only what changed: one `edited` event naming those fields (and its sync mutations), in one transaction
        const patch = Object.fromEntries(Object.entries(fields).filter(([k, v]) => v !== t[k as keyof typeof fields]));
        if (Object.keys(patch).length) {
          await store.tickets.update(ticketId, patch, author ?? null);
          await ticketsChanged(ctx, [ticketId]);
        }
        return detail(await requireTicket(store, ticketId));
      }),

    'desk.whatIf': ({ ticketId, action }) =>
      guard(async () => {
        const t = await requireTicket(store, ticketId, 'ticketId');
        if (action.type === 'priority' && t.contractId) {
          const c = await requireContract(store, t.contractId);
          if (!Object.hasOwn(c.policySet.policies, action.policy)) throw new ApiFailure('invalid_request', `policy "${action.policy}" is not in contract ${c.agreementNumber}`, 'action.policy');
        }
        // The same plan desk.act would write (core/tickets/actions.ts), evaluated instead of written.
        const { after, events } = await eventsAfter(t, actCalls(t, action, null, ctx.clock.now()));
        const before = evaluated(await evaluate(t));
        const then = evaluated(await evaluate(after, { events }));
        return { before: before?.targets ?? [], after: then?.targets ?? [] };
      }),
  };
}
