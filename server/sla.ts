/**
 * SLA state re-derived on the server from a ticket's events (never taken
 * from a client). The engine is core/sla; the tenant's contract (calendars +
 * policies) is set by an admin (`PUT /v1/admin/sla-contract`). Without a
 * contract, or for a policy the contract lacks, the SLA state is null.
 */
import { CalendarCache, evaluateTicket, loadContract } from '../core/sla/index.js';
import type { Contract, TicketEvent } from '../core/sla/index.js';
import type { SlaSummary } from '../core/sync/mutations.js';

export interface SlaInput {
  contract: unknown;
  events: readonly { type: string; at: number; data: Record<string, unknown> }[];
  now: number;
}
/**
 * The ticket's SLA state as of its last change. Deadlines (`dueAt`) and stops are facts of the
 * events; a target's `state` is as of that change (a reader compares `dueAt` with its own clock).
 * No "next due" instant is kept: it would go stale when a deadline passes, and nothing on the
 * server needs it (devices plan their own, docs/sync.md).
 */
export interface SlaOutput {
  sla: SlaSummary | null;
}
/** The one function the server calls after applying a change to a ticket. */
export type SlaDeriver = (input: SlaInput) => SlaOutput;

const cache = new CalendarCache(256);
const contracts = new Map<string, Contract | null>();

function compiled(contract: unknown): Contract | null {
  const key = JSON.stringify(contract);
  let c = contracts.get(key);
  if (c === undefined) {
    try {
      c = loadContract(contract as { calendars?: unknown; policies?: unknown }, cache);
    } catch {
      c = null;
    }
    if (contracts.size > 100) contracts.clear();
    contracts.set(key, c);
  }
  return c;
}

export function toEngineEvents(events: SlaInput['events']): TicketEvent[] {
  const out: TicketEvent[] = [];
  for (const e of events) {
    switch (e.type) {
      case 'created':
        if (typeof e.data.policy === 'string') out.push({ type: 'created', at: e.at, policy: e.data.policy });
        break;
      case 'policy_changed':
        if (typeof e.data.policy === 'string') out.push({ type: 'policy_changed', at: e.at, policy: e.data.policy });
        break;
      case 'status':
        out.push({ type: 'status', at: e.at, status: e.data.status as 'open' });
        break;
      case 'responded':
      case 'update_logged':
        out.push({ type: e.type, at: e.at });
        break;
      default:
    }
  }
  const created = out.find((e) => e.type === 'created');
  return created ? out.filter((e) => e.at >= created.at) : out;
}

export const deriveSla: SlaDeriver = ({ contract, events, now }) => {
  if (!contract) return { sla: null };
  const c = compiled(contract);
  if (!c) return { sla: null };
  const ev = toEngineEvents(events);
  const policies = new Set(c.policies.keys());
  if (!ev.some((e) => e.type === 'created') || ev.some((e) => 'policy' in e && !policies.has(e.policy))) return { sla: null };
  try {
    const at = Math.max(now, ...ev.map((e) => e.at));
    const st = evaluateTicket({ events: ev, policies: c.policies, calendars: c.calendars, now: at });
    const targets = st.targets.map((t) => ({ metric: t.metric, state: t.state, dueAt: t.dueAt, stoppedAt: t.stoppedAt }));
    return { sla: { policy: st.policy, targets } };
  } catch {
    return { sla: null };
  }
};
