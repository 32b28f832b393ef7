/**
 * What showing new alerts reads, asked for together (issue 19). The pop-up names (`facts`) of the tickets
 * a pass planned came with their planning (`know`: PlanResult.facts), so nothing is read for them. Once a
 * pass knows which tickets raised alerts, what other devices did to their alerts (`elsewhere`), and the
 * names not known, are requested at once, with the alerts' write, so the store worker answers them in one
 * go instead of one round trip after another as the pop-ups are written. The pass takes them from here
 * (each answer once); what it does not take is dropped at its end (`clear`).
 */
import type { Elsewhere } from './follow.js';
import type { AlertFacts } from './types.js';

type Facts = (ticketId: string, now: number) => Promise<AlertFacts | null>;
type Tickets = (ticketIds: string[]) => Promise<Array<{ ticketId: string; critical: boolean }>>;
type Answer = Awaited<ReturnType<Elsewhere>>[number];

/** Prefetch for a pass with at most this many tickets raising alerts (a bigger one is a summary, read as it goes). */
export const PREFETCH_TICKETS = 8;

export class PassReads {
  private readonly facts = new Map<string, { now: number; p: Promise<AlertFacts | null> }>();
  /** What the pass's planning read of the tickets' pop-ups (PlanResult.facts): nothing to ask for. */
  private readonly known = new Map<string, AlertFacts | null>();
  private readonly acks = new Map<string, Promise<Answer | undefined>>();

  constructor(private readonly deps: { facts?: Facts | undefined; elsewhere?: Elsewhere | undefined; ticketsOf?: Tickets | undefined }) {}

  /** The pop-up facts the pass's planning brought, by ticket. */
  know(facts: ReadonlyMap<string, AlertFacts | null>): void {
    for (const [id, f] of facts) this.known.set(id, f);
  }

  /** Asks for the tickets' pop-up facts at `now` (those not known already) and for what other devices did to these alert keys. */
  begin(ticketIds: Iterable<string>, keys: Iterable<string>, now: number): void {
    const ids = [...new Set(ticketIds)];
    if (!ids.length || ids.length > PREFETCH_TICKETS) return;
    const ask = [...new Set(keys)].filter((k) => !this.acks.has(k));
    if (this.deps.elsewhere && ask.length) {
      const all = this.deps.elsewhere(ask);
      all.catch(() => undefined);
      for (const k of ask)
        this.acks.set(
          k,
          all.then((rows) => rows.find((r) => r.alertKey === k)),
        );
    }
    for (const id of ids) {
      if (!this.deps.facts || this.facts.has(id) || this.known.has(id)) continue;
      const p = this.deps.facts(id, now);
      p.catch(() => undefined);
      this.facts.set(id, { now, p });
    }
  }

  /** The ticket's pop-up facts: brought by planning or asked for already, else now. */
  factsOf(ticketId: string, now: number): Promise<AlertFacts | null> {
    const known = this.known.get(ticketId);
    if (known !== undefined) return Promise.resolve(known);
    const got = this.facts.get(ticketId);
    if (got?.now === now) {
      this.facts.delete(ticketId);
      return got.p;
    }
    return this.deps.facts?.(ticketId, now) ?? Promise.resolve(null);
  }

  /**
   * Which of these tickets are critical (the quiet hours hold the others' alerts): from the pass's plans, the
   * rest read once for all (a re-notification in the quiet hours decides for thousands); a ticket not found
   * is left out. Without `ticketsOf`, from each ticket's pop-up facts.
   */
  async criticalOf(ticketIds: string[], now: number): Promise<Map<string, boolean>> {
    const out = new Map<string, boolean>();
    const ask: string[] = [];
    for (const id of ticketIds) {
      const known = this.known.get(id);
      if (known) out.set(id, known.criticalTicket);
      else ask.push(id);
    }
    if (!ask.length) return out;
    if (this.deps.ticketsOf) for (const t of await this.deps.ticketsOf(ask)) out.set(t.ticketId, t.critical);
    else
      for (const id of ask) {
        const f = await this.factsOf(id, now).catch(() => null);
        if (f) out.set(id, f.criticalTicket);
      }
    return out;
  }

  /** What other devices did to these alerts: from what was asked for already when it covers them all. */
  async elsewhere(keys: string[]): Promise<Answer[]> {
    if (!keys.every((k) => this.acks.has(k))) return this.deps.elsewhere ? this.deps.elsewhere(keys) : [];
    const rows = await Promise.all(keys.map((k) => this.acks.get(k)!));
    return rows.filter((r): r is Answer => r !== undefined);
  }

  /** The pass is over: what it did not take is dropped. */
  clear(): void {
    this.facts.clear();
    this.known.clear();
    this.acks.clear();
  }
}
