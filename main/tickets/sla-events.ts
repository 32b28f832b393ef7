import type { TicketEvent as SlaEvent } from '../../core/sla/index.js';
import type { Ticket, TicketEvent } from '../../db/repos/tickets.js';

/**
 * The events of a ticket's log that the SLA engine consumes, in its format.
 * A logged callback counts as a status update unless it says otherwise; notes,
 * escalations, time entries and visits do not move the clock.
 */
export function slaEvents(ticket: Pick<Ticket, 'policy'>, events: readonly TicketEvent[]): SlaEvent[] {
  const out: SlaEvent[] = [];
  for (const e of events) {
    const d = e.data;
    switch (e.type) {
      case 'created': {
        const policy = (d.policy as string | null | undefined) ?? ticket.policy;
        if (policy) out.push({ type: 'created', at: e.at, policy });
        break;
      }
      case 'responded':
        out.push({ type: 'responded', at: e.at });
        break;
      case 'status':
        out.push({ type: 'status', at: e.at, status: d.status as Extract<SlaEvent, { type: 'status' }>['status'] });
        break;
      case 'update_logged':
        out.push({ type: 'update_logged', at: e.at });
        break;
      case 'callback':
        if (d.countsAsUpdate !== false) out.push({ type: 'update_logged', at: e.at });
        break;
      case 'policy_changed':
        out.push({ type: 'policy_changed', at: e.at, policy: d.policy as string });
        break;
      default:
        break;
    }
  }
  // Without a `created` event carrying a policy the ticket has no SLA.
  return out.some((e) => e.type === 'created') ? out : [];
}
