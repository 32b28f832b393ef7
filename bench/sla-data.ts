/**
 * The SLA bench's data (bench/sla.ts): calendars with public holidays,
 * policies and 100,000 open tickets with realistic histories, generated from
 * a fixed seed so that every process of a run evaluates the same tickets.
 */
import type { TicketEvent } from '../core/sla/index.js';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WD = ['mon', 'tue', 'wed', 'thu', 'fri'];
type Week = Record<string, [string, string][]>;
function week(from: string, to: string, sat?: [string, string]): Week {
  const w: Week = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
  for (const d of WD) w[d] = [[from, to]];
  if (sat) w.sat = [sat];
  return w;
}

export interface BenchCalendar {
  timezone: string;
  week: Week | '24x7';
  holidays?: { country: string; region?: string };
  closed?: string[];
}

export const calendars: Record<string, BenchCalendar> = {
  'dk-office': { timezone: 'Europe/Copenhagen', week: week('08:00', '16:00'), holidays: { country: 'DK' }, closed: ['2026-12-24', '2026-12-31'] },
  'dk-support': { timezone: 'Europe/Copenhagen', week: week('08:00', '20:00', ['08:00', '16:00']), holidays: { country: 'DK' } },
  'nl-office': { timezone: 'Europe/Amsterdam', week: week('09:00', '17:00'), holidays: { country: 'NL' } },
  'no-office': {
    timezone: 'Europe/Oslo',
    week: {
      ...week('08:00', '16:00'),
      wed: [
        ['08:00', '11:30'],
        ['12:00', '16:00'],
      ],
    },
    holidays: { country: 'NO' },
  },
  'us-office': { timezone: 'America/New_York', week: week('09:00', '17:00'), holidays: { country: 'US' } },
  'au-office': { timezone: 'Australia/Sydney', week: week('08:30', '17:30'), holidays: { country: 'AU', region: 'NSW' } },
  '24x7': { timezone: 'Europe/Copenhagen', week: '24x7' },
};

export interface BenchPolicy {
  id: string;
  /** Calendar of response and resolution. */
  cal: string;
  /** Calendar of the update target. */
  upd: string;
  /** Response and resolution within, hours; first update and every, hours. */
  r: number;
  s: number;
  first: number;
  every: number;
}

export const policyDefs: BenchPolicy[] = [];
for (const cal of ['dk-office', 'nl-office', 'no-office', 'us-office', 'au-office', '24x7']) {
  for (const [r, s] of [
    [1, 2],
    [2, 4],
    [4, 8],
    [24, 36],
  ] as const)
    policyDefs.push({ id: `${cal}-${r}-${s}`, cal, upd: cal === '24x7' ? 'dk-support' : cal, r, s, first: 2, every: 4 });
}

/** The statuses that pause the clock in every bench policy. */
export const PAUSE_WHEN = ['waiting_on_customer'];

export const policies = Object.fromEntries(
  policyDefs.map((p) => [
    p.id,
    {
      calendar: p.cal,
      pauseWhen: PAUSE_WHEN,
      targets: { response: { within: { hours: p.r } }, resolution: { within: { hours: p.s } }, update: { first: { hours: p.first }, every: { hours: p.every }, calendar: p.upd } },
    },
  ]),
);

/** The evaluation instant: Wed 10 June 2026 13:17 CEST. */
export const NOW = Date.UTC(2026, 5, 10, 11, 17);
const MIN = 60_000;

export interface BenchTicket {
  events: TicketEvent[];
  /** The policy the ticket was created with. */
  policy: BenchPolicy;
}

/** `n` open tickets created in the 12 days before NOW (seeded: the same tickets in every process). */
export function makeTickets(n: number, seed = 42): BenchTicket[] {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const one = (): BenchTicket => {
    const p = pick(policyDefs);
    const created = NOW - Math.floor(rand() * 12 * 1440) * MIN - Math.floor(rand() * 60) * MIN;
    const events: TicketEvent[] = [{ type: 'created', at: created, policy: p.id }];
    let t = created;
    const step = (): number => (t += Math.floor(1 + rand() * 600) * MIN);
    if (rand() < 0.8) events.push({ type: 'responded', at: step() });
    const k = Math.floor(rand() * 6);
    for (let i = 0; i < k; i++) {
      const r = rand();
      if (r < 0.4) events.push({ type: 'update_logged', at: step() });
      else if (r < 0.7) events.push({ type: 'status', at: step(), status: 'waiting_on_customer' });
      else if (r < 0.95) events.push({ type: 'status', at: step(), status: 'open' });
      else events.push({ type: 'policy_changed', at: step(), policy: pick(policyDefs.filter((q) => q.cal === p.cal)).id });
    }
    return { events: events.filter((e) => e.at <= NOW), policy: p };
  };
  return Array.from({ length: n }, one);
}
