/** Update targets (issue 14 §10): a due at the resolution is met; the trace says each run of misses once. */
import { describe, expect, it } from 'vitest';
import { evalCase } from '../../../core/sla/index.js';

const case24x7 = (events: unknown[], now: string, update: Record<string, unknown> = { first: { minutes: 60 }, every: { minutes: 60 } }): Record<string, unknown> => ({
  calendars: { a: { timezone: 'Europe/Oslo', week: '24x7' } },
  policies: { p: { calendar: 'a', targets: { update } } },
  events: [{ type: 'created', at: '2026-06-01T10:00:00Z', policy: 'p' }, ...events],
  now,
});
type Upd = { state: string; dueAt: string | null; missed: number; breached: boolean; trace: { kind: string; note?: string }[] };
const update = (c: Record<string, unknown>): Upd => (evalCase(c, { explain: true }) as { targets: Upd[] }).targets[0] as Upd;

describe('an update due exactly when the ticket is resolved or closed is met (spec §4)', () => {
  for (const status of ['resolved', 'closed']) {
    it(`${status} at the due, then reopened: not missed`, () => {
      const u = update(
        case24x7(
          [
            { type: 'status', at: '2026-06-01T11:00:00Z', status },
            { type: 'status', at: '2026-06-01T13:00:00Z', status: 'open' },
          ],
          '2026-06-01T13:30:00Z',
        ),
      );
      expect([u.state, u.missed, u.breached, u.dueAt]).toEqual(['running', 0, false, '2026-06-01T14:00:00.000Z']);
    });
  }
  it('resolved one minute after the due, then reopened: missed', () => {
    const u = update(
      case24x7(
        [
          { type: 'status', at: '2026-06-01T11:01:00Z', status: 'resolved' },
          { type: 'status', at: '2026-06-01T13:00:00Z', status: 'open' },
        ],
        '2026-06-01T13:30:00Z',
      ),
    );
    expect([u.missed, u.breached]).toEqual([1, true]);
  });
  it('resolved at the due and still resolved: not missed', () => {
    const u = update(case24x7([{ type: 'status', at: '2026-06-01T11:00:00Z', status: 'resolved' }], '2026-06-01T15:00:00Z'));
    expect([u.state, u.missed, u.breached]).toEqual(['stopped', 0, false]);
  });
});

describe('the trace collapses runs of missed updates', () => {
  it('9,000 missed one-minute updates are one line with the count, first and last', () => {
    const every = { first: { minutes: 1 }, every: { minutes: 1 } };
    const u = update(case24x7([], '2026-06-07T16:00:30Z', every));
    expect(u.missed).toBe(9_000);
    const lines = u.trace.filter((i) => /missed/.test(i.note ?? '')).map((i) => i.note);
    expect(lines).toEqual(['9,000 updates missed, 2026-06-01 12:01 Europe/Oslo to 2026-06-07 18:00 Europe/Oslo; each next one was due 1 minute after the one missed', '9000 update(s) missed']);
    expect(u.trace.length).toBeLessThan(10);
  });
  it('one line per run: an update logged between two runs splits them', () => {
    const every = { first: { minutes: 1 }, every: { minutes: 1 } };
    const u = update(case24x7([{ type: 'update_logged', at: '2026-06-01T10:30:00Z' }], '2026-06-01T11:00:30Z', every));
    const lines = u.trace.filter((i) => /missed|logged/.test(i.note ?? '')).map((i) => i.note);
    expect(lines).toEqual([
      '29 updates missed, 2026-06-01 12:01 Europe/Oslo to 2026-06-01 12:29 Europe/Oslo; each next one was due 1 minute after the one missed',
      'update logged 2026-06-01 12:30 Europe/Oslo: the next update is due 1 minute after it',
      '30 updates missed, 2026-06-01 12:31 Europe/Oslo to 2026-06-01 13:00 Europe/Oslo; each next one was due 1 minute after the one missed',
      '59 update(s) missed',
    ]);
  });
  it('a single miss keeps its own wording', () => {
    const u = update(case24x7([], '2026-06-01T11:30:00Z'));
    expect(u.trace.filter((i) => /missed/.test(i.note ?? '')).map((i) => i.note)).toEqual([
      'update due 2026-06-01 13:00 Europe/Oslo missed; the next is due 60 minutes after it',
      '1 update(s) missed',
    ]);
  });
});
