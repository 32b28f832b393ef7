/**
 * OS pop-ups in the user's language (issue 15 item 7): the language stored with
 * the alert settings reaches the scheduler, and a Danish user's critical breach
 * reads in Danish, with a 24-hour clock time and Danish action labels.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import type { TicketEvent } from '../../core/sla/index.js';
import { AlertScheduler } from '../../main/alerts/scheduler.js';
import { MemoryAlertStore } from '../../main/alerts/memory-store.js';
import { SlaPlanner } from '../../main/alerts/planner.js';
import { POPUP_LANGUAGES, POPUP_WORDS } from '../../main/alerts/popup-words.js';
import { DEFAULT_ALERT_SETTINGS } from '../../main/alerts/types.js';
import type { AlertSettings } from '../../main/alerts/types.js';
import { handoverNotification } from '../../main/alerts/handover.js';
import { popupWords } from '../../main/alerts/popup-words.js';
import { MemoryNotifier } from '../../main/notify/notifier.js';
import type { AppNotification } from '../../main/notify/notifier.js';
import { alertSettingsSchema } from '../../core/api/alerts.js';
import { FakeTimers } from '../helpers/fake-timers.js';

const MIN = 60_000;
const created = Date.UTC(2026, 11, 3, 12, 0); // Thursday; the response is due 14:00 UTC = 15:00 in Copenhagen
const policySet = {
  calendars: { c: { timezone: 'Europe/Copenhagen', week: '24x7' } },
  policies: { p: { calendar: 'c', targets: { response: { within: { hours: 2 } } } } },
};

/** The first pop-up of a critical ticket whose response target breaches, for a user with these settings. */
async function breachPopup(settings: Partial<AlertSettings>): Promise<AppNotification> {
  const clock = new ManualClock(created);
  const timers = new FakeTimers(clock);
  const notifier = new MemoryNotifier();
  const sent: AppNotification[] = [];
  notifier.notify = async (n) => void sent.push(n);
  const planner = new SlaPlanner(
    {
      ticket: async (id) => ({
        id,
        caseNumber: 'K-1',
        priority: 'critical',
        contractId: 'k',
        contractVersion: 1,
        events: [{ type: 'created', at: created, policy: 'p' } as TicketEvent],
        named: { customer: 'Nordfiber A/S', title: 'Fibre down', contactName: 'Hanne Olsen', contactPhone: '+45 72 12 00 00' },
      }),
      policySet: async () => policySet,
    },
    () => 'UTC',
  );
  const sched = new AlertScheduler({
    clock,
    timers,
    planner,
    store: new MemoryAlertStore(),
    notifier,
    // No warnings: the first pop-up is the breach itself (advanceTo runs the timers due before its instant).
    settings: () => ({ ...DEFAULT_ALERT_SETTINGS, warnPercent: [], warnMinutesBefore: [], ...settings }),
    facts: (id, at) => planner.facts(id, at),
    timezone: () => 'UTC',
  });
  await sched.start([['1', created]]);
  await timers.advanceTo(created + 121 * MIN, () => sched.idle());
  sched.dispose();
  expect(sent.length).toBeGreaterThan(0);
  return sent[0] as AppNotification;
}

describe('pop-ups in the user language', () => {
  it('every language has every word', () => {
    const keys = (o: object): string[] =>
      Object.entries(o)
        .flatMap(([k, v]) => (typeof v === 'object' ? keys(v as object).map((s) => `${k}.${s}`) : [k]))
        .sort();
    const en = keys(POPUP_WORDS.en);
    for (const lang of POPUP_LANGUAGES) {
      expect(keys(POPUP_WORDS[lang]), lang).toEqual(en);
      for (const k of keys(POPUP_WORDS[lang]))
        expect(
          k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], POPUP_WORDS[lang]),
          `${lang}: ${k}`,
        ).not.toBe('');
    }
  });

  it("a Danish user's critical breach reads in Danish, with a 24-hour time and Danish actions", async () => {
    const n = await breachPopup({ language: 'da' });
    expect(n.title).toBe('KRITISK · K-1: SLA overskredet · Nordfiber A/S');
    expect(n.body).toContain('Svarfrist overskredet: tors. 15:00 CET (nu)');
    expect(n.body).toContain('(nu)');
    expect(n.body).toContain('Ring tilbage: Hanne Olsen, +45 72 12 00 00');
    expect(n.body).not.toMatch(/PM|AM|deadline|Call back/);
    expect(n.actions?.map((a) => a.label)).toEqual(['Kvittér', 'Udsæt 15 min', 'Åbn']);
  });

  it('without a stored language the pop-up stays English', async () => {
    const n = await breachPopup({ language: undefined });
    expect(n.title).toBe('CRITICAL · K-1: SLA breached · Nordfiber A/S');
    expect(n.body).toContain('Response deadline passed: Thu 15:00');
    expect(n.actions?.map((a) => a.label)).toEqual(['Acknowledge', 'Snooze 15 min', 'Open']);
  });

  it('the handover summary is written in the language too', () => {
    const n = handoverNotification(
      'Nattevagt',
      'Europe/Oslo',
      { from: created, to: created + 8 * 60 * MIN, person: 'u1', backup: null, override: false },
      { critical: [], callbacks: [{ caseNumber: 'K-2', at: created }], unacked: [] },
      () => '13:00',
      popupWords('nb'),
    );
    expect(n.title).toBe('Vakten din i Nattevagt begynner (til 13:00)');
    expect(n.body).toContain('1 tilbakeringinger i vakten din: K-2 kl. 13:00');
    expect(n.actions?.map((a) => a.label)).toEqual(['Åpne varsler']);
  });

  it('the settings take one of the four languages and refuse another', () => {
    expect(alertSettingsSchema.partial().parse({ language: 'nl' })).toEqual({ language: 'nl' });
    expect(() => alertSettingsSchema.partial().parse({ language: 'de' })).toThrow(/language/);
  });
});

describe('a ticket whose SLA cannot be computed', () => {
  it("pops up in the user's language, not with the engine's English reason", async () => {
    const { dueLine } = await import('../../main/alerts/text.js');
    const alert = {
      key: 'k',
      ticketId: 't',
      caseNumber: 'K-1',
      target: 'resolution',
      kind: 'sla_unavailable',
      dueAt: created,
      critical: true,
      text: 'cannot compute SLA: policy "p" is not in contract SA1',
      raisedAt: created,
    } as unknown as Parameters<typeof dueLine>[0];
    expect(dueLine(alert, null, created, 'Europe/Copenhagen', popupWords('da'))).toBe(POPUP_WORDS.da.slaUnavailable);
    expect(dueLine(alert, null, created, 'Europe/Copenhagen', popupWords('en'))).toContain('policy "p" is not in contract');
  });
});
