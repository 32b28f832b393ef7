import { describe, expect, it } from 'vitest';
import { parseIcsClosedDays } from '../../../core/calendars/ics.js';

const cal = (...events: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...events, 'END:VCALENDAR'].join('\r\n');
const ev = (...lines: string[]) => ['BEGIN:VEVENT', 'UID:x', ...lines, 'END:VEVENT'].join('\r\n');

describe('parseIcsClosedDays', () => {
  it('reads all-day events (DTEND exclusive), sorted, each date once', () => {
    const r = parseIcsClosedDays(
      cal(
        ev('DTSTART;VALUE=DATE:20261224', 'DTEND;VALUE=DATE:20261227', 'SUMMARY:Jul'),
        ev('DTSTART;VALUE=DATE:20260101', 'SUMMARY:Nytår'),
        ev('DTSTART;VALUE=DATE:20261225', 'DTEND;VALUE=DATE:20261226', 'SUMMARY:Juledag'),
      ),
    );
    expect(r.days).toEqual([
      { date: '2026-01-01', summary: 'Nytår' },
      { date: '2026-12-24', summary: 'Jul' },
      { date: '2026-12-25', summary: 'Jul' },
      { date: '2026-12-26', summary: 'Jul' },
    ]);
    expect(r.skipped).toEqual([]);
  });
  it('unfolds continued lines, unescapes text, accepts LF endings and a DATE value without VALUE=DATE', () => {
    const text = ['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'DTSTART:20260605', 'SUMMARY:Grundlovs', ' dag\\, lukket', 'END:VEVENT', 'END:VCALENDAR'].join('\n');
    expect(parseIcsClosedDays(text).days).toEqual([{ date: '2026-06-05', summary: 'Grundlovsdag, lukket' }]);
  });
  it('skips timed and recurring events and bad dates, saying why', () => {
    const r = parseIcsClosedDays(
      cal(
        ev('DTSTART:20261224T090000Z', 'DTEND:20261224T100000Z', 'SUMMARY:Meeting'),
        ev('DTSTART;TZID=Europe/Copenhagen:20261224T090000', 'SUMMARY:Local meeting'),
        ev('DTSTART;VALUE=DATE:20261231', 'RRULE:FREQ=YEARLY', 'SUMMARY:Nytårsaften'),
        ev('DTSTART;VALUE=DATE:20260231', 'SUMMARY:No such day'),
        ev('SUMMARY:No start'),
      ),
    );
    expect(r.days).toEqual([]);
    expect(r.skipped.map((s) => s.summary)).toEqual(['Meeting', 'Local meeting', 'Nytårsaften', 'No such day', 'No start']);
    expect(r.skipped[0]!.reason).toMatch(/not an all-day event/);
    expect(r.skipped[2]!.reason).toMatch(/recurring/);
  });
  it('refuses text that is not an iCalendar', () => {
    expect(() => parseIcsClosedDays('hello')).toThrow(/not an iCalendar/);
  });
  it('reads DTEND equal to DTSTART as one day; refuses absurdly long spans', () => {
    const r = parseIcsClosedDays(cal(ev('DTSTART;VALUE=DATE:20260501', 'DTEND;VALUE=DATE:20260501'), ev('DTSTART;VALUE=DATE:20260101', 'DTEND;VALUE=DATE:20290101', 'SUMMARY:Typo')));
    expect(r.days.map((d) => d.date)).toEqual(['2026-05-01']);
    expect(r.skipped[0]!.reason).toMatch(/spans 1096 days/);
  });
});
