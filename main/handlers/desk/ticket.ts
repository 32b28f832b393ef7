/** One ticket: its page, the actions on it, edits, and what an action would do (what-if): core/api/desk.ts, docs/desk.md. */
import type { z } from 'zod';
import type { deskMethods, TicketAction, ticketAction } from '../../../core/api/desk.js';
import type { TicketEvent as SlaEvent } from '../../../core/sla/index.js';
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
import { phoneIssue } from './register-check.js';

/** The SLA events an action would append at `now` (for what-if). */
function slaEffect(a: z.output<typeof ticketAction>, now: number): SlaEvent[] {
  switch (a.type) {
    case 'respond':
      return [{ type: 'responded', at: now }];
    case 'callback':
      return [{ type: 'update_logged', at: now }];
    case 'pause':
      return [{ type: 'status', at: now, status: a.reason }];
    case 'resume':
    case 'reopen':
      return [{ type: 'status', at: now, status: 'open' }];
    case 'resolve':
      return [{ type: 'status', at: now, status: 'resolved' }];
    case 'close':
      return [{ type: 'status', at: now, status: 'closed' }];
    case 'priority':
      return [{ type: 'policy_changed', at: now, policy: a.policy }];
    default:
      return [];
  }
}

function checkTransition(t: Ticket, a: TicketAction): void {
  const closed = t.status === 'resolved' || t.status === 'closed';
  const waiting = t.status === 'waiting_on_customer' || t.status === 'waiting_on_vendor';
  const bad = (msg: string) => {
    throw new ApiFailure('conflict', msg, 'action.type');
  };
  if (a.type === 'pause' && t.status !== 'open') bad(`the ticket is ${t.status}; only an open ticket can be paused`);
  if (a.type === 'resume' && !waiting) bad(`the ticket is ${t.status}, not paused`);
  if (a.type === 'resolve' && closed) bad(`the ticket is already ${t.status}`);
  if (a.type === 'reopen' && !closed) bad(`the ticket is ${t.status}, not resolved or closed`);
  if (a.type === 'close' && t.status === 'closed') bad('the ticket is already closed');
}

export function ticketHandlers(ctx: AppContext): Pick<HandlersFor<typeof deskMethods>, 'desk.ticket' | 'desk.act' | 'desk.editTicket' | 'desk.whatIf'> {
  const store = ctx.store;
  const { evaluate, detail } = ticketViews(ctx);

  return {
    'desk.ticket': ({ id }) => guard(async () => detail(await requireTicket(store, id))),

    'desk.act': ({ ticketId, action: a, author }) =>
      guard(async () => {
        const t = await requireTicket(store, ticketId, 'ticketId');
        checkTransition(t, a);
        let criticalPolicy: string | null = null;
        if (a.type === 'priority' && t.contractId) {
          const c = await requireContract(store, t.contractId);
          if (!Object.hasOwn(c.policySet.policies, a.policy)) throw new ApiFailure('invalid_request', `policy "${a.policy}" is not in contract ${c.agreementNumber}`, 'action.policy');
          criticalPolicy = c.criticalPolicy;
        }
        // The event(s), the fields and the schedule after the action: computed first, written in one transaction.
        const now = ctx.clock.now();
        const plan = actCalls(t, a, author ?? null, now, criticalPolicy);
        const after = { ...t, status: plan.status };
        const r = await slaOf(ctx, after, { events: slaEvents(after, [...(await store.tickets.events(t.id)), ...plan.appended]), now });
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
        const before = evaluated(await evaluate(t));
        const after = evaluated(await evaluate(t, slaEffect(action, ctx.clock.now())));
        return { before: before?.targets ?? [], after: after?.targets ?? [] };
      }),
  };
}
