import type { ClockEventInput } from '../../core/reports/index.js';
import type { TicketEvent as SlaEvent } from '../../core/sla/index.js';
import type { Ticket, TicketEvent } from '../../db/repos/tickets.js';

/**
 * The events of a ticket's log that the SLA engine consumes, in its format.
 * A logged callback counts as a status update unless it says otherwise; notes,
 * escalations, time entries and visits do not move the clock.
 */
export function slaEvents(ticket: Pick<Ticket, 'policy'>, events: readonly TicketEvent[]): SlaEvent[] {
  const out = withSources(ticket, events).map((x) => x.sla);
  // Without a `created` event carrying a policy the ticket has no SLA.
  return out.some((e) => e.type === 'created') ? out : [];
}

/** The events that stop or pause a clock (the engine's, other than `created`), with who recorded them and when the server received them. */
export function clockEvents(ticket: Pick<Ticket, 'policy'>, events: readonly TicketEvent[]): ClockEventInput[] {
  const out: ClockEventInput[] = [];
  for (const { sla, source: e } of withSources(ticket, events)) {
    if (sla.type !== 'created') out.push({ ...sla, eventId: e.id, author: e.author, deviceId: e.deviceId, deviceName: e.deviceName ?? null, receivedAt: e.receivedAt ?? null });
  }
  return out;
}

/** Each engine event with the log event it comes from. */
function withSources(ticket: Pick<Ticket, 'policy'>, events: readonly TicketEvent[]): { sla: SlaEvent; source: TicketEvent }[] {
  const all: { sla: SlaEvent; source: TicketEvent }[] = [];
  for (const e of events) {
    const out = { push: (sla: SlaEvent) => all.push({ sla, source: e }) };
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
  return all;
}
