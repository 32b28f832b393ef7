/** One ticket: its page, the actions on it, edits, and what an action would do (what-if): core/api/desk.ts, docs/desk.md. */
import type { deskMethods } from '../../../core/api/desk.js';
import type { TicketEvent as SlaEvent } from '../../../core/sla/index.js';
import { transitionProblem } from '../../../core/tickets/actions.js';
import { op } from '../../../db/client.js';
import type { Ticket } from '../../../db/repos/tickets.js';
import { ApiFailure } from '../../api/dispatch.js';
import type { HandlersFor } from '../../api/dispatch.js';
import { guard } from '../../api/guard.js';
import { requireTicketWithSla } from '../../api/require.js';
import type { AppContext } from '../../app/context.js';
import { ticketsChanged } from '../../tickets/changed.js';
import { slaEvents } from '../../tickets/sla-events.js';
import type { SlaInputs } from '../../tickets/sla.js';
import { evaluated, ticketViews } from '../../tickets/views.js';
import { actCalls } from './act.js';
import type { ActPlan } from './act.js';
import { phoneIssue } from './register-check.js';

export function ticketHandlers(ctx: AppContext): Pick<HandlersFor<typeof deskMethods>, 'desk.ticket' | 'desk.act' | 'desk.editTicket' | 'desk.whatIf'> {
  const store = ctx.store;
  const { evaluate, detail } = ticketViews(ctx);

  /** The ticket after `plan`, and the engine's events then (its log plus what the action appends): desk.act schedules by them, desk.whatIf shows them. */
  function eventsAfter(x: SlaInputs, plan: ActPlan): { after: SlaInputs; events: SlaEvent[] } {
    const after = { ...x, ticket: { ...x.ticket, status: plan.status } };
    return { after, events: slaEvents(after.ticket, [...x.events, ...plan.appended]) };
  }
  /** The contract's policy `policy`, or a refusal at `action.policy`. */
  function requirePolicy(x: SlaInputs, policy: string): void {
    const c = x.contract;
    if (c && !Object.hasOwn(c.policySet.policies, policy)) throw new ApiFailure('invalid_request', `policy "${policy}" is not in contract ${c.agreementNumber}`, 'action.policy');
  }

  return {
    'desk.ticket': ({ id }) => guard(async () => detail(await requireTicketWithSla(store, id))),

    'desk.act': ({ ticketId, action: a, author }) =>
      guard(async () => {
        const x = await requireTicketWithSla(store, ticketId, 'ticketId');
        const t = x.ticket;
        const problem = transitionProblem(t.status, a.type);
        if (problem) throw new ApiFailure('conflict', problem, 'action.type');
        if (a.type === 'escalate' && a.to === 'vendor' && !a.vendorRef) throw new ApiFailure('invalid_request', "give the vendor's reference", 'action.vendorRef');
        if (a.type === 'priority' && t.contractId) {
          if (!x.contract) throw new ApiFailure('not_found', `contract ${t.contractId} does not exist`, 'contractId');
          requirePolicy(x, a.policy);
        }
        // The event(s), the fields and the schedule after the action: evaluated once, written in one transaction.
        const now = ctx.clock.now();
        const plan = actCalls(t, a, author ?? null, now, x.contract?.criticalPolicy ?? null);
        const { after, events } = eventsAfter(x, plan);
        const change = ctx.sla.change(after, plan.status, { events, now });
        if (change.schedule) plan.calls.push(op('tickets', 'setSchedule', t.id, change.schedule));
        await store.batch(plan.calls);
        await ticketsChanged(ctx, [ticketId], change);
        return detail(await requireTicketWithSla(store, ticketId, 'ticketId'));
      }),

    'desk.editTicket': ({ ticketId, author, ...fields }) =>
      guard(async () => {
        const x = await requireTicketWithSla(store, ticketId, 'ticketId');
        const t = x.ticket;
        const c = x.contract;
        const phone = c && fields.reporterPhone !== t.reporterPhone ? phoneIssue(fields.reporterPhone, c, 'reporterPhone') : null;
        if (phone) throw ApiFailure.invalid([phone]);
        // only what changed: one `edited` event naming those fields (and its sync mutations), in one transaction
        const patch = Object.fromEntries(Object.entries(fields).filter(([k, v]) => v !== t[k as keyof typeof fields]));
        if (Object.keys(patch).length) {
          await store.tickets.update(ticketId, patch, author ?? null);
          await ticketsChanged(ctx, [ticketId]);
        }
        return detail(await requireTicketWithSla(store, ticketId, 'ticketId'));
      }),

    'desk.whatIf': ({ ticketId, action }) =>
      guard(async () => {
        const x = await requireTicketWithSla(store, ticketId, 'ticketId');
        if (action.type === 'priority' && x.ticket.contractId) {
          if (!x.contract) throw new ApiFailure('not_found', `contract ${x.ticket.contractId} does not exist`, 'contractId');
          requirePolicy(x, action.policy);
        }
        // The same plan desk.act would write (core/tickets/actions.ts), evaluated instead of written.
        const { after, events } = eventsAfter(x, actCalls(x.ticket, action, null, ctx.clock.now()));
        const before = evaluated(evaluate(x));
        const then = evaluated(evaluate(after, { events }));
        return { before: before?.targets ?? [], after: then?.targets ?? [] };
      }),
  };
}
