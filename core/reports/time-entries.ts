/**
 * A case's time entries as logged, and the entries its field visit proposes
 * (issue 15 item 8): the technician's steps already say when the travel and
 * the work took place, so they are offered as time entries to confirm
 * instead of typed again. Pure.
 */
import type { TimeEntry } from '../billing/index.js';
import { timeEntryOf } from './billing.js';
import type { BillingEvent } from './billing.js';

/** What a confirmed proposal is marked with (`time_entry.data.fromVisit`): one entry per part of the visit. */
export const VISIT_PARTS = ['travel', 'onsite'] as const;
export type VisitPart = (typeof VISIT_PARTS)[number];

export interface LoggedEntry extends TimeEntry {
  eventId: string;
  /** Whole minutes (a started minute counts). */
  minutes: number;
  text: string | null;
  author: string | null;
  fromVisit: VisitPart | null;
}

export interface ProposedEntry {
  part: VisitPart;
  kind: TimeEntry['kind'];
  start: number;
  end: number;
  minutes: number;
}

const MINUTE = 60_000;
const str = (v: unknown) => (typeof v === 'string' && v ? v : null);

/** The ticket's time entries in the order logged. */
export function loggedEntries(events: ReadonlyArray<BillingEvent & { author?: string | null }>): LoggedEntry[] {
  return events
    .filter((e) => e.type === 'time_entry')
    .map((e) => {
      const entry = timeEntryOf(e);
      const part = (VISIT_PARTS as readonly unknown[]).includes(e.data.fromVisit) ? (e.data.fromVisit as VisitPart) : null;
      return { ...entry, eventId: e.id ?? '', minutes: Math.ceil((entry.end - entry.start) / MINUTE), text: str(e.data.text), author: str(e.author), fromVisit: part };
    });
}

/**
 * The visit's proposals: travel (Start travel → Arrive) and on-site work
 * (Start work → Depart, or Arrive → Depart without a work step), from the
 * steps in force (a corrected step counts at its corrected time); a part
 * already confirmed (a time entry with its `fromVisit`) is not proposed again.
 */
export function proposedEntries(events: readonly BillingEvent[]): ProposedEntry[] {
  const replaced = new Set(events.filter((e) => e.type === 'visit_step' && typeof e.data.replaces === 'string').map((e) => e.data.replaces as string));
  const at: Record<string, number> = {};
  for (const e of events) if (e.type === 'visit_step' && typeof e.data.step === 'string' && !(e.id && replaced.has(e.id))) at[e.data.step] = e.at;
  const done = new Set(events.filter((e) => e.type === 'time_entry').map((e) => e.data.fromVisit));
  const out: ProposedEntry[] = [];
  const propose = (part: VisitPart, kind: TimeEntry['kind'], start: number | undefined, end: number | undefined) => {
    if (start === undefined || end === undefined || end <= start || done.has(part)) return;
    out.push({ part, kind, start, end, minutes: Math.ceil((end - start) / MINUTE) });
  };
  propose('travel', 'travel', at.travel, at.arrive);
  propose('onsite', 'onsite', at.work ?? at.arrive, at.depart);
  return out;
}
