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

/** An escalation step to write into a ticket's timeline once (`recordSteps`). */
export interface StepNote {
  ticketId: string;
  alertKey: string;
  step: number;
  at: number;
  person: string;
  text: string;
}

/**
 * What routing reads; the store's oncall and notifications repositories (sync or through the worker). Each
 * is asked once for all the alerts routed together (issue 19: a re-notification routes thousands).
 */
export interface RoutingDeps {
  me(): string | null | Promise<string | null>;
  rotas(): { id: string; rota: Rota }[] | Promise<{ id: string; rota: Rota }[]>;
  /** The tickets' contracts and assignees (a name: a planned visit's alert is theirs, docs/maintenance.md). */
  ticketsOf(ticketIds: string[]): Promise<{ ticketId: string; contractId: string | null; assignee: string | null }[]>;
  /** The alerts among these that someone's ack on the server covers. */
  ackedOnServer(alertKeys: string[]): Promise<Set<string>>;
  /** Writes each step into its ticket's timeline once (a step written before is skipped). */
  recordSteps(steps: StepNote[]): unknown;
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
    const read = me !== null && (rotas.length > 0 || alerts.some((a) => a.kind === 'visit_due'));
    const tickets = new Map(read ? (await this.d.ticketsOf([...new Set(alerts.map((a) => a.ticketId))])).map((t) => [t.ticketId, t]) : []);
    const critical: Array<{ a: Alert; rota: Rota }> = [];
    for (const a of alerts) {
      const t = tickets.get(a.ticketId);
      const visitFor = me && a.kind === 'visit_due' ? t?.assignee : null;
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
      const rota = rotas.length ? (rotaOfContract(rotas, t?.contractId ?? null)?.rota ?? null) : null;
      if (!me || !rota) out.set(a.key, { popup: true, nextAt: null, ackedElsewhere: false });
      else if (!a.critical) out.set(a.key, { popup: all || onCallAt(rota, escalationAnchor(a))?.person === me, nextAt: null, ackedElsewhere: false });
      else critical.push({ a, rota });
    }
    if (!me || !critical.length) return out;
    const acked = await this.d.ackedOnServer(critical.map(({ a }) => a.key));
    const steps: StepNote[] = [];
    for (const { a, rota } of critical) out.set(a.key, acked.has(a.key) ? { popup: false, nextAt: null, ackedElsewhere: true } : this.escalate(a, rota, me, all, now, steps));
    if (steps.length) await this.d.recordSteps(steps);
    return out;
  }

  /** A critical alert nobody acknowledged on the server: this user's steps taken so far go to `steps`. */
  private escalate(a: Alert, rota: Rota, me: string, all: boolean, now: number, steps: StepNote[]): RouteDecision {
    const anchor = escalationAnchor(a);
    const chain = escalationChain(rota, anchor);
    // Nobody on duty and no lead: everyone is alerted rather than no one.
    if (!chain.length) return { popup: true, nextAt: null, ackedElsewhere: false };
    const st = escalationAt(chain, anchor, rota.escalation, null, now);
    const mine = st.taken.map((s, i) => ({ s, i })).filter(({ s }) => s.person === me);
    const name = rota.members.find((m) => m.userId === me)?.name ?? me;
    for (const { s, i } of mine) steps.push({ ticketId: a.ticketId, alertKey: a.key, step: i, at: s.at, person: me, text: stepText(a, s, name) });
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
