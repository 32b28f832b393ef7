/**
 * Who gets a pop-up (issue 18 items 3, 4; docs/alerts.md "On-call rota",
 * "Escalation"). An alert of a ticket whose contract a team's rota covers
 * pops up only for the person on duty; a critical one escalates to the
 * backup, then the team lead, `ackMinutes` apart, the chain `repeat` times,
 * until someone's ack has reached the server. Everyone else sees the alert in
 * the Alerts panel without a pop-up, unless they ask for pop-ups
 * (`popupsForAll`). Tickets no rota covers, and devices that do not know
 * their user, pop up as before.
 *
 * Every device decides for its own user from the synced rota and the acks it
 * pulled, so the backup is alerted even when the primary's device is offline.
 * Before it alerts its user in an escalation step, the scheduler pulls
 * (`SchedulerDeps.refresh`), so an ack that reached the server in time stops it.
 */
import { escalationAt, escalationChain, escalationSteps } from '../../core/oncall/escalation.js';
import type { EscalationStep } from '../../core/oncall/escalation.js';
import { onCallAt, rotaOfContract } from '../../core/oncall/rota.js';
import type { Rota } from '../../core/oncall/rota.js';
import { IndexedMinHeap } from './heap.js';
import type { Alert } from './types.js';

export interface RouteDecision {
  popup: boolean;
  /** The next instant the decision may change (an escalation step of this user), or null. */
  nextAt: number | null;
  /** Someone's ack of it is on the server: acknowledge it here too. */
  ackedElsewhere: boolean;
}

/** What routing reads; the store's oncall repository (sync or through the worker). */
export interface RoutingDeps {
  me(): string | null | Promise<string | null>;
  rotas(): { id: string; rota: Rota }[] | Promise<{ id: string; rota: Rota }[]>;
  contractOf(ticketId: string): Promise<string | null>;
  /** The ticket's assignee (a name): a planned visit's alert is theirs (docs/maintenance.md). */
  assigneeOf?(ticketId: string): Promise<string | null>;
  serverAckedAt(alertKey: string): number | null | Promise<number | null>;
  /** Writes the step into the ticket's timeline once; true when written now. */
  recordStep(ticketId: string, alertKey: string, step: number, at: number, person: string, text: string): boolean | Promise<boolean>;
  popupsForAll: () => boolean;
  log?: (msg: string, err?: unknown) => void;
}

const LEVEL = ['on duty', 'backup', 'team lead'];

/** The instant an alert's escalation counts from: when its cause arose (the same on every device). */
export function escalationAnchor(a: Pick<Alert, 'raisedAt' | 'dueAt'>): number {
  return Math.min(a.raisedAt, a.dueAt);
}

export function stepText(a: Pick<Alert, 'caseNumber' | 'text'>, s: EscalationStep, name: string): string {
  return `Alert ${a.caseNumber}: ${a.text}: ${name} alerted (${LEVEL[s.level] ?? `level ${s.level + 1}`}${s.round ? `, round ${s.round + 1}` : ''})`;
}

export class AlertRouting {
  constructor(private readonly d: RoutingDeps) {}

  async decide(alerts: Alert[], now: number): Promise<Map<string, RouteDecision>> {
    const out = new Map<string, RouteDecision>();
    const me = await this.d.me();
    const rotas = me ? await this.d.rotas() : [];
    const all = this.d.popupsForAll();
    for (const a of alerts) {
      const visitFor = me && a.kind === 'visit_due' ? await this.d.assigneeOf?.(a.ticketId) : null;
      if (me && visitFor) {
        const names = [
          me,
          ...rotas
            .flatMap((r) => r.rota.members)
            .filter((m) => m.userId === me)
            .map((m) => m.name),
        ].map((n) => n.toLowerCase());
        out.set(a.key, { popup: all || names.includes(visitFor.toLowerCase()), nextAt: null, ackedElsewhere: false });
        continue;
      }
      const rota = rotas.length ? (rotaOfContract(rotas, await this.d.contractOf(a.ticketId))?.rota ?? null) : null;
      if (!me || !rota) {
        out.set(a.key, { popup: true, nextAt: null, ackedElsewhere: false });
        continue;
      }
      out.set(a.key, await this.one(a, rota, me, all, now));
    }
    return out;
  }

  private async one(a: Alert, rota: Rota, me: string, all: boolean, now: number): Promise<RouteDecision> {
    const anchor = escalationAnchor(a);
    if (!a.critical) {
      return { popup: all || onCallAt(rota, anchor)?.person === me, nextAt: null, ackedElsewhere: false };
    }
    if ((await this.d.serverAckedAt(a.key)) !== null) return { popup: false, nextAt: null, ackedElsewhere: true };
    const chain = escalationChain(rota, anchor);
    // Nobody on duty and no lead: everyone is alerted rather than no one.
    if (!chain.length) return { popup: true, nextAt: null, ackedElsewhere: false };
    const st = escalationAt(chain, anchor, rota.escalation, null, now);
    const mine = st.taken.map((s, i) => ({ s, i })).filter(({ s }) => s.person === me);
    const name = (id: string) => rota.members.find((m) => m.userId === id)?.name ?? id;
    for (const { s, i } of mine) await this.d.recordStep(a.ticketId, a.key, i, s.at, me, stepText(a, s, name(me)));
    const next = escalationSteps(chain, anchor, rota.escalation).find((s) => s.at > now && s.person === me);
    return { popup: all || mine.length > 0, nextAt: next?.at ?? null, ackedElsewhere: false };
  }
}

/**
 * The scheduler's side of routing: which alerts pop up for this user, which
 * are only seen (Alerts panel), which were acknowledged elsewhere, and when a
 * decision changes (this user's next escalation step), by alert key.
 */
export class RouteGate {
  /** When each alert's decision changes next (its user's next escalation step), earliest first. */
  private readonly wake = new IndexedMinHeap<string>();
  constructor(private readonly route?: (alerts: Alert[], now: number) => Promise<Map<string, RouteDecision>>) {}

  async split(alerts: Alert[], now: number): Promise<{ popup: Alert[]; seen: Alert[]; elsewhere: string[] }> {
    if (!this.route || !alerts.length) return { popup: alerts, seen: [], elsewhere: [] };
    const decisions = await this.route(alerts, now);
    const out = { popup: [] as Alert[], seen: [] as Alert[], elsewhere: [] as string[] };
    for (const a of alerts) {
      const d = decisions.get(a.key) ?? { popup: true, nextAt: null, ackedElsewhere: false };
      this.wake.set(a.key, d.nextAt);
      if (d.ackedElsewhere) out.elsewhere.push(a.key);
      else if (d.popup) out.popup.push(a);
      else out.seen.push({ ...a, notifiedAt: now, held: false });
    }
    return out;
  }

  /** The alerts whose decision is due again at `now`. */
  dueKeys(now: number): string[] {
    const out: string[] = [];
    this.wake.forEachDue(now, (k) => {
      out.push(k);
    });
    return out;
  }

  anyDue(now: number): boolean {
    return (this.wake.peek()?.at ?? Infinity) <= now;
  }

  /** The earliest instant a decision of an alert for which `open(key)` holds changes; the others' (closed since) are dropped. */
  nextAt(open: (key: string) => boolean): number {
    for (let top = this.wake.peek(); top; top = this.wake.peek()) {
      if (open(top.key)) return top.at;
      this.wake.set(top.key, null);
    }
    return Infinity;
  }
}
