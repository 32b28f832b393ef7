/**
 * Closed days from an iCalendar (.ics) file (RFC 5545): all-day VEVENTs
 * (`DTSTART;VALUE=DATE:20261224`, optional `DTEND;VALUE=DATE:20261225`,
 * exclusive) become local dates `YYYY-MM-DD`. Timed events and recurring
 * events are not closed days; they are listed as skipped, with the reason.
 * Pure: no I/O.
 */

export interface IcsClosedDay {
  date: string;
  summary: string | null;
}
export interface IcsSkipped {
  summary: string | null;
  reason: string;
}
export interface IcsResult {
  days: IcsClosedDay[];
  skipped: IcsSkipped[];
}

/** A multi-day event longer than this is refused (a typo in DTEND, not a holiday). */
const MAX_DAYS = 366;

function unfold(text: string): string[] {
  // RFC 5545 §3.1: a line starting with a space or tab continues the previous one.
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\n[ \t]/g, '')
    .split('\n');
}

function unescapeText(v: string): string {
  return v.replace(/\\([,;\\nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

interface Prop {
  name: string;
  params: Record<string, string>;
  value: string;
}

function parseLine(line: string): Prop | null {
  // name *(";" param) ":" value — a colon inside a quoted param value does not end the name part
  let i = 0;
  let quoted = false;
  for (; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (c === ':' && !quoted) break;
  }
  if (i >= line.length) return null;
  const [name, ...ps] = line.slice(0, i).split(';');
  const params: Record<string, string> = {};
  for (const p of ps) {
    const eq = p.indexOf('=');
    if (eq > 0) params[p.slice(0, eq).toUpperCase()] = p.slice(eq + 1).replace(/^"|"$/g, '');
  }
  return { name: (name ?? '').toUpperCase(), params, value: line.slice(i + 1) };
}

const DATE = /^(\d{4})(\d{2})(\d{2})$/;

/** Day number (days since 1970-01-01) of a `YYYYMMDD` value, or null. */
function dayOf(v: string): number | null {
  const m = DATE.exec(v.trim());
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return Math.floor(t / 86_400_000);
}

const iso = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

/**
 * Parses an .ics file into closed days (sorted, each date once). Throws an
 * Error when the text is not an iCalendar at all.
 */
export function parseIcsClosedDays(text: string): IcsResult {
  const lines = unfold(text);
  if (!lines.some((l) => l.trim().toUpperCase() === 'BEGIN:VCALENDAR')) throw new Error('not an iCalendar file (no BEGIN:VCALENDAR)');
  const found = new Map<string, IcsClosedDay>();
  const skipped: IcsSkipped[] = [];
  let ev: Prop[] | null = null;
  for (const raw of lines) {
    const line = raw.trimEnd();
    if (!line) continue;
    const up = line.toUpperCase();
    if (up === 'BEGIN:VEVENT') {
      ev = [];
      continue;
    }
    if (up === 'END:VEVENT') {
      if (ev) handle(ev);
      ev = null;
      continue;
    }
    if (ev) {
      const p = parseLine(line);
      if (p) ev.push(p);
    }
  }

  function handle(props: Prop[]) {
    const get = (n: string) => props.find((p) => p.name === n);
    const summaryProp = get('SUMMARY');
    const summary = summaryProp ? unescapeText(summaryProp.value).trim() || null : null;
    const start = get('DTSTART');
    if (!start) return skipped.push({ summary, reason: 'no DTSTART' });
    if (get('RRULE') || get('RDATE')) return skipped.push({ summary, reason: 'recurring event (RRULE/RDATE): add each date on its own' });
    const allDay = start.params.VALUE?.toUpperCase() === 'DATE' || DATE.test(start.value.trim());
    if (!allDay) return skipped.push({ summary, reason: `not an all-day event (DTSTART ${start.value})` });
    const s = dayOf(start.value);
    if (s === null) return skipped.push({ summary, reason: `DTSTART ${start.value} is not a date YYYYMMDD` });
    const endProp = get('DTEND');
    let e = s + 1;
    if (endProp) {
      const d = dayOf(endProp.value);
      if (d === null) return skipped.push({ summary, reason: `DTEND ${endProp.value} is not a date YYYYMMDD` });
      e = Math.max(d, s + 1); // DTEND is exclusive; DTEND = DTSTART is read as one day
    }
    if (e - s > MAX_DAYS) return skipped.push({ summary, reason: `spans ${e - s} days (more than ${MAX_DAYS})` });
    for (let d = s; d < e; d++) {
      const date = iso(d);
      if (!found.has(date)) found.set(date, { date, summary });
    }
    return undefined;
  }

  return { days: [...found.values()].sort((a, b) => a.date.localeCompare(b.date)), skipped };
}
