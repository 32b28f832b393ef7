/**
 * A handover at shift change (issue 18 item 5; docs/alerts.md "Handover"):
 * when this device's user comes on duty in a team's rota, one summary pop-up
 * (id `handover`): the open critical tickets, the callbacks due in their
 * shift, and the alerts nobody has acknowledged. Armed for the next handover
 * to this user (no polling); re-armed after it and whenever a rota changes.
 * Each handover is shown once, also across restarts (`lastShown`).
 */
import type { Clock } from '../../core/clock.js';
import type { Disposable } from '../../core/lifecycle.js';
import { nextHandoverTo } from '../../core/oncall/rota.js';
import type { Duty, Rota } from '../../core/oncall/rota.js';
import type { AppNotification, Notifier } from '../notify/notifier.js';
import { fill, popupWords } from './popup-words.js';
import type { PopupWords } from './popup-words.js';
import type { Timers } from './types.js';

/** setTimeout cannot wait longer than this; longer waits are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** A handover found this late (the app was closed or asleep at the shift change) is still shown. */
const LATE_MS = 60 * 60_000;

/** Each list holds the first few; `totals` how many there are in all (default: the list's length). */
export interface HandoverSummary {
  critical: Array<{ caseNumber: string; title: string | null }>;
  callbacks: Array<{ caseNumber: string; at: number }>;
  unacked: Array<{ caseNumber: string; text: string }>;
  totals?: Partial<Record<'critical' | 'callbacks' | 'unacked', number>>;
}

/** How many of each list a pop-up names; the rest is counted (a desk may hold tens of thousands of alerts). */
export const HANDOVER_NAMED = 5;

export interface HandoverDeps {
  clock: Clock;
  timers: Timers;
  notifier: Notifier;
  me(): Promise<string | null>;
  rotas(): Promise<{ id: string; rota: Rota }[]>;
  /** What the next person needs for the shift `[duty.from, duty.to)`. */
  summary(duty: Duty): Promise<HandoverSummary>;
  /** The instant of the last handover shown (persisted), and storing it. */
  lastShown(): Promise<number>;
  setLastShown(at: number): Promise<void>;
  formatTime(at: number, zone: string): string;
  /** The user's language (alert settings): the summary is written in it. */
  language?(): string | undefined;
  log?: (msg: string, err?: unknown) => void;
}

export function handoverNotification(team: string, zone: string, duty: Duty, s: HandoverSummary, fmt: (at: number, zone: string) => string, w: PopupWords = popupWords('en')): AppNotification {
  const line = <T>(key: 'critical' | 'callbacks' | 'unacked', label: string, items: T[], name: (x: T) => string) => {
    const total = Math.max(s.totals?.[key] ?? items.length, items.length);
    const named = items.slice(0, HANDOVER_NAMED).map(name);
    if (total > named.length) named.push(fill(w.more, { count: String(total - named.length) }));
    return `${total} ${label}${named.length ? `: ${named.join('; ')}` : ''}`;
  };
  const lines = [
    line('critical', w.openCritical, s.critical, (t) => `${t.caseNumber}${t.title ? ` ${t.title}` : ''}`),
    line('callbacks', w.callbacksInShift, s.callbacks, (c) => `${c.caseNumber} ${w.at} ${fmt(c.at, zone)}`),
    line('unacked', w.notAcknowledged, s.unacked, (a) => `${a.caseNumber} ${a.text}`),
  ];
  return {
    id: 'handover',
    title: fill(w.shiftStarts, { team, until: fmt(duty.to, zone) }),
    body: lines.join('\n'),
    critical: false,
    actions: [{ id: 'open-alerts', label: w.openAlerts }],
  };
}

export class HandoverWatch implements Disposable {
  private timer: unknown = null;
  private chain: Promise<void> = Promise.resolve();
  private disposed = false;
  constructor(private readonly d: HandoverDeps) {}

  /** Plans the next handover (at start, after a rota changed, after enrolment). */
  replan(): Promise<void> {
    return this.serial(() => this.run());
  }

  idle(): Promise<void> {
    return this.chain;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) this.d.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private serial(fn: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(fn).catch((err: unknown) => this.d.log?.('handover: step failed', err));
    return this.chain;
  }

  private async run(): Promise<void> {
    if (this.disposed) return;
    if (this.timer !== null) this.d.timers.clearTimeout(this.timer);
    this.timer = null;
    const me = await this.d.me();
    if (!me) return;
    const rotas = await this.d.rotas();
    const now = this.d.clock.now();
    const last = await this.d.lastShown();
    // A handover that came while the app was closed (up to an hour ago) is shown now.
    const due = nextHandoverTo(rotas, me, Math.max(last, now - LATE_MS));
    if (due && due.handover.at <= now) {
      const { rota, handover } = due;
      const s = await this.d.summary(handover.to);
      await this.d.notifier.notify(handoverNotification(rota.rota.name, rota.rota.timezone, handover.to, s, this.d.formatTime, popupWords(this.d.language?.())));
      await this.d.setLastShown(handover.at);
      return this.run();
    }
    const next = nextHandoverTo(rotas, me, now);
    const at = next?.handover.at ?? now + 7 * 24 * 3_600_000; // none within 8 days: look again in a week
    this.timer = this.d.timers.setTimeout(
      () => {
        this.timer = null;
        void this.serial(() => this.run());
      },
      Math.min(MAX_TIMER_MS, Math.max(0, at - now)),
    );
  }
}
