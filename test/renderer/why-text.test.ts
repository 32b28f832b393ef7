/** The "Why?" sentence from a target and its trace, read structurally (issue 15 item 5). */
import { createInstance } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TargetView } from '../../core/api/desk.js';
import { da } from '../../renderer/i18n/da.js';
import { en } from '../../renderer/i18n/en.js';
import { explainTarget } from '../../renderer/why-text.js';
import type { WhyFormat } from '../../renderer/why-text.js';

const i18n = createInstance();
beforeAll(async () => {
  await i18n.init({ resources: { en: { translation: en }, da: { translation: da } }, lng: 'en', interpolation: { escapeValue: false } });
});
const fmt: WhyFormat = {
  clock: (at, _now, zone) => new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: zone }).format(at),
  minutes: (m) => `${m} min`,
  userZone: 'UTC',
};
const cph = (hhmm: string) => Date.parse(`2026-12-03T${hhmm}:00+01:00`);
const target = (over: Partial<TargetView> = {}): TargetView => ({
  metric: 'update',
  state: 'running',
  dueAt: cph('10:00'),
  stoppedAt: null,
  breached: false,
  elapsedMinutes: 1,
  remainingMinutes: 119,
  startedAt: cph('05:08'),
  timezone: 'Europe/Copenhagen',
  businessMinutesLeft: 119,
  wording: null,
  trace: [
    { kind: 'rule', note: 'started at creation, 05:08; counts on calendar "dk-sla-support"', at: cph('05:08') },
    { kind: 'closed', from: cph('05:08'), to: cph('05:09'), minutes: 1 },
    { kind: 'counted', from: cph('05:09'), to: cph('05:10'), minutes: 1 },
  ],
  ...over,
});

describe('explainTarget', () => {
  it('says when counting started, when the clock stood still, and the next deadline, in the contract zone', () => {
    expect(explainTarget(target(), cph('05:10'), i18n.t, fmt)).toBe(
      'Counted from 05:08; the clock was stopped 05:08–05:09 (outside support hours); 1 min counted; the next callback is due at 10:00. Times in Europe/Copenhagen.',
    );
  });

  it('is not thrown off by trace items it does not know (a collapsed run of rules, a new kind)', () => {
    const trace = [
      ...(target().trace ?? []),
      { kind: 'rule', note: '1,543 updates missed, 23:41 to 01:23', at: cph('01:23'), count: 1543 },
      { kind: 'missed_run', from: cph('05:10'), to: cph('05:20'), count: 3 },
      { kind: 'rule' },
      null,
    ] as unknown as TargetView['trace'];
    expect(explainTarget(target({ trace }), cph('05:10'), i18n.t, fmt)).toBe(
      'Counted from 05:08; the clock was stopped 05:08–05:09 (outside support hours); 1 min counted; the next callback is due at 10:00. Times in Europe/Copenhagen.',
    );
  });

  it('says a breach and how long ago, and lists only the last three stops', () => {
    const closed = [1, 2, 3, 4, 5].map((h) => ({ kind: 'closed' as const, from: cph(`0${h}:00`), to: cph(`0${h}:30`), minutes: 30 }));
    const text = explainTarget(target({ metric: 'response', dueAt: cph('05:30'), trace: closed }), cph('05:35'), i18n.t, { ...fmt, userZone: 'Europe/Copenhagen' });
    expect(text).toBe(
      'Counted from 05:08; the clock was stopped 03:00–03:30 (outside support hours); the clock was stopped 04:00–04:30 (outside support hours); the clock was stopped 05:00–05:30 (outside support hours); and 2 more stops outside support hours; 1 min counted; the deadline 05:30 was breached 5 min ago.',
    );
  });

  it('speaks the user language', async () => {
    await i18n.changeLanguage('da');
    expect(explainTarget(target(), cph('05:10'), i18n.t, fmt)).toBe(
      'Talt fra 05:08; uret stod stille 05:08–05:09 (uden for supporttiden); 1 min talt; næste tilbagemelding skal gives senest 10:00. Tider i Europe/Copenhagen.',
    );
    await i18n.changeLanguage('en');
  });
});
