/**
 * On-call rota (issue 18 item 3): who of a team is on duty at an instant.
 *
 * A rota has a time zone, a weekly pattern of shifts (weekday, start, end as
 * wall times; an end at or before the start ends on the next day, so a night
 * shift crosses midnight) and overrides on dates ("I take Saturday night for
 * Mette"). Wall times become instants with the SLA engine's zone code
 * (`core/sla/time.ts`), so shifts are DST-exact: a 22:00-06:00 shift is 7 h
 * on the night clocks go forward and 9 h when they go back; a wall time in the
 * spring gap moves forward by the gap, one that occurs twice means the first.
 *
 * Overrides win over the pattern for the time they cover (a later override
 * over an earlier one). Pure: instants in, instants out.
 */
import { DAY, WEEKDAYS, isValidZone, localDay, parseDate, parseHHMM, wallToInstant, weekday, zoneOffsets } from '../sla/time.js';
import type { Weekday } from '../sla/time.js';

export interface RotaShift {
  day: Weekday;
  /** `HH:MM` wall times in the rota's zone; end <= start: ends the next day. */
  start: string;
  end: string;
  /** User id of the person on duty, and of their backup (escalation level 2). */
  person: string;
  backup?: string | null;
}

export interface RotaOverride {
  /** `YYYY-MM-DD`: the local date the override starts on. */
  date: string;
  start: string;
  end: string;
  person: string;
  backup?: string | null;
  /** Why, e.g. "for Mette". */
  note?: string | null;
}

export interface RotaMember {
  userId: string;
  name: string;
}

export interface EscalationPolicy {
  /** A critical alert nobody acknowledged within this many minutes goes to the next level. */
  ackMinutes: number;
  /** How many times the chain (on duty, backup, lead) runs at most. */
  repeat: number;
}

export interface Rota {
  name: string;
  timezone: string;
  members: RotaMember[];
  /** The team lead's user id: the last escalation level. */
  lead?: string | null;
  /** Contracts whose alerts go to this team's person on duty. */
  contractIds: string[];
  week: RotaShift[];
  overrides: RotaOverride[];
  escalation: EscalationPolicy;
}

/** One stretch of duty as instants, `[from, to)`. */
export interface Duty {
  from: number;
  to: number;
  person: string;
  backup: string | null;
  /** Set when an override put this person on duty. */
  override: boolean;
}

export interface RotaIssue {
  path: string;
  message: string;
}

/** [start, end) of a shift as ms from the start of its first day; end may pass 24 h. */
function span(start: string, end: string): [number, number] | null {
  const s = parseHHMM(start);
  const e = parseHHMM(end);
  if (s === null || e === null || s >= DAY) return null;
  return [s, e <= s ? e + DAY : e];
}

/**
 * What is wrong with a rota beyond its shape (the zod schema checks that):
 * the zone, wall times, dates, people who are not members, and pattern shifts
 * that overlap within the week.
 */
export function rotaIssues(r: Rota): RotaIssue[] {
  const issues: RotaIssue[] = [];
  if (!isValidZone(r.timezone)) issues.push({ path: 'timezone', message: `must be an IANA time zone such as "Europe/Oslo", got "${r.timezone}"` });
  const members = new Set(r.members.map((m) => m.userId));
  const who = (id: string | null | undefined, path: string) => {
    if (id != null && !members.has(id)) issues.push({ path, message: `"${id}" is not a member of the team` });
  };
  who(r.lead, 'lead');
  const weekly: { from: number; to: number; i: number }[] = [];
  const times = (x: { start: string; end: string }, path: string) => {
    if (parseHHMM(x.start) === null || (parseHHMM(x.start) as number) >= DAY) issues.push({ path: `${path}.start`, message: `must be a wall time "HH:MM" from 00:00 to 23:59, got "${x.start}"` });
    else if (parseHHMM(x.end) === null) issues.push({ path: `${path}.end`, message: `must be a wall time "HH:MM" from 00:00 to 24:00, got "${x.end}"` });
    return span(x.start, x.end);
  };
  r.week.forEach((s, i) => {
    const p = `week.${i}`;
    who(s.person, `${p}.person`);
    who(s.backup, `${p}.backup`);
    if (s.backup != null && s.backup === s.person) issues.push({ path: `${p}.backup`, message: 'is the person on duty' });
    const sp = times(s, p);
    const d = WEEKDAYS.indexOf(s.day);
    if (sp && d >= 0) weekly.push({ from: d * DAY + sp[0], to: d * DAY + sp[1], i });
  });
  // Overlap within the week (a Sunday night shift runs into Monday).
  const WEEK = 7 * DAY;
  for (let a = 0; a < weekly.length; a++) {
    for (let b = a + 1; b < weekly.length; b++) {
      const x = weekly[a] as (typeof weekly)[number];
      const y = weekly[b] as (typeof weekly)[number];
      for (const shift of [-WEEK, 0, WEEK]) {
        if (x.from < y.to + shift && y.from + shift < x.to) {
          issues.push({ path: `week.${y.i}`, message: `overlaps week.${x.i} (${r.week[x.i]?.day} ${r.week[x.i]?.start}-${r.week[x.i]?.end}): use an override for a one-off change` });
          break;
        }
      }
    }
  }
  r.overrides.forEach((o, i) => {
    const p = `overrides.${i}`;
    who(o.person, `${p}.person`);
    who(o.backup, `${p}.backup`);
    if (parseDate(o.date) === null) issues.push({ path: `${p}.date`, message: `must be a real date "YYYY-MM-DD", got "${o.date}"` });
    times(o, p);
  });
  return issues;
}

/** The instants of a stretch starting on local day `day` (DST-exact, via the SLA engine). */
function instants(tz: string, day: number, start: string, end: string): [number, number] | null {
  const sp = span(start, end);
  if (!sp) return null;
  const z = zoneOffsets(tz);
  const from = wallToInstant(z, day, sp[0]);
  const to = sp[1] > DAY ? wallToInstant(z, day + 1, sp[1] - DAY) : wallToInstant(z, day, sp[1]);
  return to > from ? [from, to] : null;
}

/**
 * Every stretch of duty that overlaps `[from, to)`, sorted, overrides cut out
 * of the pattern; back-to-back shifts of the same person and backup are one
 * stretch (clipped to the days around the range).
 */
export function duties(r: Rota, from: number, to: number): Duty[] {
  const z = zoneOffsets(r.timezone);
  const first = localDay(z, from) - 1;
  const last = localDay(z, to) + 1;
  let out: Duty[] = [];
  for (let day = first; day <= last; day++) {
    const wd = WEEKDAYS[weekday(day)];
    for (const s of r.week) {
      if (s.day !== wd) continue;
      const t = instants(r.timezone, day, s.start, s.end);
      if (t && t[1] > from && t[0] < to) out.push({ from: t[0], to: t[1], person: s.person, backup: s.backup ?? null, override: false });
    }
  }
  out.sort((a, b) => a.from - b.from);
  for (const o of r.overrides) {
    const day = parseDate(o.date);
    const t = day === null ? null : instants(r.timezone, day, o.start, o.end);
    if (!t || t[1] <= from || t[0] >= to) continue;
    const cut: Duty[] = [];
    for (const d of out) {
      if (d.to <= t[0] || d.from >= t[1]) cut.push(d);
      else {
        if (d.from < t[0]) cut.push({ ...d, to: t[0] });
        if (d.to > t[1]) cut.push({ ...d, from: t[1] });
      }
    }
    cut.push({ from: t[0], to: t[1], person: o.person, backup: o.backup ?? null, override: true });
    out = cut.sort((a, b) => a.from - b.from);
  }
  // One stretch where the same person (and backup) stays on duty across shifts (Monday 00:00-24:00, Tuesday ...).
  const merged: Duty[] = [];
  for (const d of out) {
    const p = merged[merged.length - 1];
    if (p && p.to === d.from && p.person === d.person && p.backup === d.backup && p.override === d.override) p.to = d.to;
    else merged.push({ ...d });
  }
  return merged;
}

/** How far ahead `onCallAt` (for the end of the stretch) and `nextOnCall` look: the pattern repeats weekly. */
export const LOOKAHEAD_MS = 8 * DAY;

/** Who is on duty at instant t (the stretch, ending within 8 days), or null (no shift covers t). */
export function onCallAt(r: Rota, t: number): Duty | null {
  return duties(r, t, t + LOOKAHEAD_MS).find((d) => d.from <= t && t < d.to) ?? null;
}

/** The next stretch of duty that starts after t (the next handover), within 8 days, or null. */
export function nextOnCall(r: Rota, t: number): Duty | null {
  return duties(r, t, t + LOOKAHEAD_MS).find((d) => d.from > t) ?? null;
}

/** A change of the person on duty at `at` (from null: a shift starts after a gap). */
export interface Handover {
  at: number;
  from: string | null;
  to: Duty;
}

/** The handovers in `(after, until]`: instants where a different person comes on duty. */
export function handovers(r: Rota, after: number, until: number): Handover[] {
  const ds = duties(r, after - DAY, until + 1);
  const out: Handover[] = [];
  let prev: Duty | null = null;
  for (const d of ds) {
    const before = prev && prev.to === d.from ? prev.person : null;
    if (d.from > after && d.from <= until && before !== d.person) out.push({ at: d.from, from: before, to: d });
    prev = d;
  }
  return out;
}

/** The rota covering a contract: the first whose `contractIds` name it. */
export function rotaOfContract<R extends { rota: Rota }>(rotas: readonly R[], contractId: string | null | undefined): R | null {
  if (!contractId) return null;
  return rotas.find((x) => x.rota.contractIds.includes(contractId)) ?? null;
}

/** The next handover (within 8 days, after `after`) at which `me` comes on duty in any of the rotas, earliest first. */
export function nextHandoverTo<R extends { id: string; rota: Rota }>(rotas: readonly R[], me: string, after: number): { rota: R; handover: Handover } | null {
  let best: { rota: R; handover: Handover } | null = null;
  for (const r of rotas) {
    const h = handovers(r.rota, after, after + LOOKAHEAD_MS).find((x) => x.to.person === me);
    if (h && (!best || h.at < best.handover.at)) best = { rota: r, handover: h };
  }
  return best;
}
