/**
 * SLA engine benchmark: `npm run bench:sla` (tsx bench/sla.ts).
 *
 * 100,000 open tickets, 3 targets each (response, resolution, update), on
 * mixed calendars with public holidays and realistic histories, evaluated at
 * one instant. Prints the engine's total and per-ticket time (cold: calendars
 * freshly compiled; warm: second pass), then, on a sample (extrapolated, as
 * printed), the slow minute-by-minute reference and moment-business-time on the
 * deadline part, as ratios to the engine. Timings are printed, never asserted.
 */
import { performance } from 'node:perf_hooks';
import moment from 'moment';
import 'moment-business-time';
import { CalendarCache, evaluateTicket, loadContract } from '../core/sla/index.js';
import type { TicketEvent } from '../core/sla/index.js';
import { referenceEval } from '../test/core/sla/reference.js';
import type { RefCase } from '../test/core/sla/reference.js';

const N = Number(process.env.SLA_BENCH_TICKETS ?? 100_000);
const REF_SAMPLE = Number(process.env.SLA_BENCH_REF_SAMPLE ?? 300);
const MOMENT_SAMPLE = Number(process.env.SLA_BENCH_MOMENT_SAMPLE ?? 2_000);

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
const rand = rng(42);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;

const WD = ['mon', 'tue', 'wed', 'thu', 'fri'];
function week(from: string, to: string, sat?: [string, string]): Record<string, [string, string][]> {
  const w: Record<string, [string, string][]> = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
  for (const d of WD) w[d] = [[from, to]];
  if (sat) w.sat = [sat];
  return w;
}
const calendars = {
  'dk-office': { timezone: 'Europe/Copenhagen', week: week('08:00', '16:00'), holidays: { country: 'DK' }, closed: ['2026-12-24', '2026-12-31'] },
  'dk-support': { timezone: 'Europe/Copenhagen', week: week('08:00', '20:00', ['08:00', '16:00']), holidays: { country: 'DK' } },
  'nl-office': { timezone: 'Europe/Amsterdam', week: week('09:00', '17:00'), holidays: { country: 'NL' } },
  'no-office': { timezone: 'Europe/Oslo', week: { ...week('08:00', '16:00'), wed: [['08:00', '11:30'], ['12:00', '16:00']] as [string, string][] }, holidays: { country: 'NO' } },
  'us-office': { timezone: 'America/New_York', week: week('09:00', '17:00'), holidays: { country: 'US' } },
  'au-office': { timezone: 'Australia/Sydney', week: week('08:30', '17:30'), holidays: { country: 'AU', region: 'NSW' } },
  '24x7': { timezone: 'Europe/Copenhagen', week: '24x7' as const },
};
type CalId = keyof typeof calendars;
const policyDefs: { id: string; cal: CalId; upd: CalId; r: number; s: number; first: number; every: number }[] = [];
for (const cal of ['dk-office', 'nl-office', 'no-office', 'us-office', 'au-office', '24x7'] as CalId[]) {
  for (const [r, s] of [
    [1, 2],
    [2, 4],
    [4, 8],
    [24, 36],
  ] as const)
    policyDefs.push({ id: `${cal}-${r}-${s}`, cal, upd: cal === '24x7' ? 'dk-support' : cal, r, s, first: 2, every: 4 });
}
const policies = Object.fromEntries(
  policyDefs.map((p) => [
    p.id,
    {
      calendar: p.cal,
      pauseWhen: ['waiting_on_customer'],
      targets: { response: { within: { hours: p.r } }, resolution: { within: { hours: p.s } }, update: { first: { hours: p.first }, every: { hours: p.every }, calendar: p.upd } },
    },
  ]),
);

const NOW = Date.UTC(2026, 5, 10, 11, 17); // Wed 10 June 2026 13:17 CEST
const MIN = 60_000;
interface Ticket {
  events: TicketEvent[];
  policy: (typeof policyDefs)[number];
}
function makeTicket(): Ticket {
  const p = pick(policyDefs);
  const created = NOW - Math.floor(rand() * 12 * 1440) * MIN - Math.floor(rand() * 60) * MIN;
  const events: TicketEvent[] = [{ type: 'created', at: created, policy: p.id }];
  let t = created;
  const step = (): number => (t += Math.floor(1 + rand() * 600) * MIN);
  if (rand() < 0.8) events.push({ type: 'responded', at: step() });
  const n = Math.floor(rand() * 6);
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.4) events.push({ type: 'update_logged', at: step() });
    else if (r < 0.7) events.push({ type: 'status', at: step(), status: 'waiting_on_customer' });
    else if (r < 0.95) events.push({ type: 'status', at: step(), status: 'open' });
    else events.push({ type: 'policy_changed', at: step(), policy: pick(policyDefs.filter((q) => q.cal === p.cal)).id });
  }
  return { events: events.filter((e) => e.at <= NOW), policy: p };
}

const tickets: Ticket[] = Array.from({ length: N }, makeTicket);
const fmt = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

function runEngine(cache: CalendarCache): { ms: number; checksum: number } {
  const t0 = performance.now();
  const contract = loadContract({ calendars, policies }, cache);
  let checksum = 0;
  for (const tk of tickets) {
    const r = evaluateTicket({ events: tk.events, policies: contract.policies, calendars: contract.calendars, now: NOW });
    for (const x of r.targets) checksum += x.dueAt === null ? 0 : (x.dueAt % 1_000_003) + x.elapsedMinutes;
  }
  return { ms: performance.now() - t0, checksum };
}

console.log(`SLA engine benchmark: ${N.toLocaleString('en')} open tickets x 3 targets, ${Object.keys(calendars).length} calendars (with public holidays), ${policyDefs.length} policies, evaluated at ${new Date(NOW).toISOString()}`);
const cache = new CalendarCache();
const cold = runEngine(cache);
const warm = runEngine(cache);
const best = Math.min(cold.ms, warm.ms);
console.log(`engine, cold (calendars compiled during the run): ${fmt(cold.ms)} total, ${((cold.ms * 1000) / N).toFixed(2)} µs/ticket`);
console.log(`engine, warm (calendar cache reused):              ${fmt(warm.ms)} total, ${((warm.ms * 1000) / N).toFixed(2)} µs/ticket   [target: 100k under 0.5 s]`);
if (cold.checksum !== warm.checksum) console.log('WARNING: cold and warm runs disagree');

// --- the minute-by-minute reference, on a sample ---------------------------------
const iso = (t: number): string => new Date(t).toISOString();
const sample = tickets.slice(0, REF_SAMPLE);
const refCases: RefCase[] = sample.map((tk) => ({
  calendars: calendars as unknown as RefCase['calendars'],
  policies: policies as unknown as RefCase['policies'],
  events: tk.events.map((e) => ({ ...e, at: iso(e.at) })) as RefCase['events'],
  now: iso(NOW),
}));
let t0 = performance.now();
for (const c of refCases) referenceEval(c);
const refMs = performance.now() - t0;
const refPerTicket = refMs / sample.length;
const enginePerTicket = best / N;
console.log(
  `reference (minute by minute), ${sample.length} tickets sampled: ${fmt(refMs)} -> extrapolated to ${N.toLocaleString('en')}: ${fmt(refPerTicket * N)}; engine is ${(refPerTicket / enginePerTicket).toFixed(0)}x faster   [target: >= 100x]`,
);

// --- moment-business-time on the deadline part only ------------------------------
// moment-business-time has one global working-hours setting and counts in the
// process's zone, so tickets are grouped by calendar and only the "add N working
// hours to the creation time" part is timed, against the engine's addOpen.
type MomentBT = moment.Moment & { addWorkingTime(n: number, unit: string): moment.Moment };
const contract = loadContract({ calendars, policies }, cache);
const byCal = new Map<CalId, Ticket[]>();
for (const tk of tickets.slice(0, MOMENT_SAMPLE)) {
  if (tk.policy.cal === '24x7') continue; // moment-business-time has no 24x7 mode worth comparing
  const list = byCal.get(tk.policy.cal) ?? [];
  list.push(tk);
  byCal.set(tk.policy.cal, list);
}
let momentMs = 0;
let engineDeadlineMs = 0;
let deadlines = 0;
for (const [calId, list] of byCal) {
  const c = calendars[calId];
  const wh: Record<number, string[] | null> = { 0: null, 6: null };
  const w = c.week as Record<string, [string, string][]>;
  ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].forEach((d, i) => {
    const pairs = w[d] ?? [];
    wh[i] = pairs.length ? pairs.flatMap(([s, e]) => [`${s}:00`, `${e}:00`]) : null;
  });
  const compiled = contract.calendars.get(calId);
  if (!compiled) continue;
  const holidays: string[] = [];
  for (let d = Math.floor(NOW / 86_400_000) - 60; d < Math.floor(NOW / 86_400_000) + 120; d++) if (compiled.dayRule(d) === 'holiday') holidays.push(new Date(d * 86_400_000).toISOString().slice(0, 10));
  moment.updateLocale('en', { workinghours: wh, holidays } as unknown as moment.LocaleSpecification);
  const starts = list.map((tk) => (tk.events[0] as TicketEvent).at);
  const hours = list.map((tk) => tk.policy.s);
  t0 = performance.now();
  for (let i = 0; i < starts.length; i++) (moment(starts[i]) as MomentBT).addWorkingTime(hours[i] as number, 'hours');
  momentMs += performance.now() - t0;
  t0 = performance.now();
  for (let i = 0; i < starts.length; i++) compiled.addOpen(starts[i] as number, (hours[i] as number) * 3_600_000);
  engineDeadlineMs += performance.now() - t0;
  deadlines += starts.length;
}
console.log(
  `moment-business-time, deadline part only (${deadlines} deadlines sampled): ${((momentMs * 1000) / deadlines).toFixed(1)} µs/deadline vs engine addOpen ${((engineDeadlineMs * 1000) / deadlines).toFixed(2)} µs/deadline -> engine ${(momentMs / engineDeadlineMs).toFixed(0)}x faster; extrapolated to ${N.toLocaleString('en')} tickets x 3 deadlines: ${fmt((momentMs / deadlines) * N * 3)}`,
);
