import { describe, expect, it } from 'vitest';
import { crossesMidnight, splitCalendarJsonNightShifts, splitCalendarNightShifts, splitNightShifts, splitSpecialNightShifts } from '../../../core/calendars/night-shift.js';
import { checkContract } from '../../../core/sla/index.js';

const empty = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };

describe('night shifts', () => {
  it('knows which pairs cross midnight', () => {
    expect(crossesMidnight(['22:00', '06:00'])).toBe(true);
    expect(crossesMidnight(['22:00', '00:00'])).toBe(true);
    expect(crossesMidnight(['08:00', '08:00'])).toBe(true);
    expect(crossesMidnight(['08:00', '16:00'])).toBe(false);
    expect(crossesMidnight(['22:00', '24:00'])).toBe(false);
    expect(crossesMidnight(['25:00', '06:00'])).toBe(false);
  });
  it('splits Monday 22:00-06:00 into Monday 22:00-24:00 and Tuesday 00:00-06:00, sorted', () => {
    const w = splitNightShifts({
      ...empty,
      mon: [
        ['22:00', '06:00'],
        ['08:00', '16:00'],
      ],
      tue: [['08:00', '16:00']],
    });
    expect(w.mon).toEqual([
      ['08:00', '16:00'],
      ['22:00', '24:00'],
    ]);
    expect(w.tue).toEqual([
      ['00:00', '06:00'],
      ['08:00', '16:00'],
    ]);
  });
  it("Sunday's night shift spills into Monday; ending at 00:00 adds nothing to the next day", () => {
    const w = splitNightShifts({ ...empty, sun: [['20:00', '02:00']], fri: [['18:00', '00:00']] });
    expect(w.sun).toEqual([['20:00', '24:00']]);
    expect(w.mon).toEqual([['00:00', '02:00']]);
    expect(w.fri).toEqual([['18:00', '24:00']]);
    expect(w.sat).toEqual([]);
  });
  it('leaves a week without night shifts untouched (same object) and the result passes the contract check', () => {
    const plain = { ...empty, mon: [['08:00', '16:00']] };
    expect(splitNightShifts(plain)).toBe(plain);
    const calendars = splitCalendarNightShifts({ n: { timezone: 'Europe/Oslo', week: { ...empty, mon: [['22:00', '06:00']] } }, a: { timezone: 'Europe/Oslo', week: '24x7' } });
    expect(calendars.a).toEqual({ timezone: 'Europe/Oslo', week: '24x7' });
    expect(checkContract({ calendars, policies: { p: { calendar: 'n', targets: { response: { within: { hours: 1 } } } } } })).toEqual([]);
  });
  it('a split that overlaps the next day is reported by the contract check at its path', () => {
    const calendars = splitCalendarNightShifts({ n: { timezone: 'Europe/Oslo', week: { ...empty, mon: [['22:00', '07:00']], tue: [['06:00', '16:00']] } } });
    const issues = checkContract({ calendars, policies: {} });
    expect(issues.map((i) => i.path)).toEqual(['calendars.n.week.tue[1]']);
  });
});

describe('night shifts on special days', () => {
  const office = { ...empty, mon: [['08:00', '16:00']], tue: [['08:00', '16:00']], wed: [['08:00', '16:00']], thu: [['08:00', '16:00']], fri: [['08:00', '16:00']] };
  const cal = (special: Record<string, string[][]>, extra: Record<string, unknown> = {}) => ({ timezone: 'Europe/Copenhagen', week: office, special, ...extra });
  const policies = { p: { calendar: 'c', targets: { response: { within: { hours: 1 } } } } };

  it('keeps the part on the date and puts the rest on the next date, which keeps its own weekly hours', () => {
    // Wednesday 2026-12-23 22:00 to Thursday 06:00; Thursday 2026-12-24 is an ordinary weekday here
    const out = splitSpecialNightShifts(
      cal({
        '2026-12-23': [
          ['22:00', '06:00'],
          ['08:00', '12:00'],
        ],
      }),
    );
    expect(out.special).toEqual({
      '2026-12-23': [
        ['08:00', '12:00'],
        ['22:00', '24:00'],
      ],
      '2026-12-24': [
        ['00:00', '06:00'],
        ['08:00', '16:00'],
      ],
    });
    expect(checkContract({ calendars: { c: out }, policies })).toEqual([]);
  });

  it('the next date closed or a public holiday: only the spill is open', () => {
    expect(splitSpecialNightShifts(cal({ '2026-12-23': [['22:00', '06:00']] }, { closed: ['2026-12-24'] })).special).toEqual({
      '2026-12-23': [['22:00', '24:00']],
      '2026-12-24': [['00:00', '06:00']],
    });
    // 2026-12-25 is Christmas Day (DK)
    expect(splitSpecialNightShifts(cal({ '2026-12-24': [['20:00', '04:00']] }, { holidays: { country: 'DK' } })).special).toEqual({
      '2026-12-24': [['20:00', '24:00']],
      '2026-12-25': [['00:00', '04:00']],
    });
  });

  it('the next date a special day of its own: the spill is added to it, an overlap is reported at that entry', () => {
    expect(splitSpecialNightShifts(cal({ '2026-12-23': [['22:00', '06:00']], '2026-12-24': [['09:00', '12:00']] })).special).toEqual({
      '2026-12-23': [['22:00', '24:00']],
      '2026-12-24': [
        ['00:00', '06:00'],
        ['09:00', '12:00'],
      ],
    });
    const bad = splitCalendarNightShifts({ c: cal({ '2026-12-23': [['22:00', '07:00']], '2026-12-24': [['06:00', '12:00']] }) });
    expect(checkContract({ calendars: bad, policies }).map((i) => i.path)).toEqual(['calendars.c.special.2026-12-24[1]']);
  });

  it("overlapping the next date's weekly hours, the two are joined; ending at 00:00 adds no day; a Sunday spill joins Monday's hours", () => {
    expect(splitSpecialNightShifts(cal({ '2026-12-22': [['18:00', '09:00']] })).special).toEqual({ '2026-12-22': [['18:00', '24:00']], '2026-12-23': [['00:00', '16:00']] });
    expect(splitSpecialNightShifts(cal({ '2026-12-22': [['18:00', '00:00']] })).special).toEqual({ '2026-12-22': [['18:00', '24:00']] });
    expect(splitSpecialNightShifts(cal({ '2026-12-27': [['22:00', '02:00']] })).special).toEqual({
      '2026-12-27': [['22:00', '24:00']],
      '2026-12-28': [
        ['00:00', '02:00'],
        ['08:00', '16:00'],
      ],
    });
    const allDay = splitSpecialNightShifts({ timezone: 'Europe/Oslo', week: '24x7', special: { '2026-05-16': [['20:00', '02:00']] } });
    expect(allDay.special).toEqual({ '2026-05-16': [['20:00', '24:00']], '2026-05-17': [['00:00', '24:00']] });
  });

  it('two nights in a row; the week split and the special split together; an invalid calendar is left for the validator', () => {
    const two = splitSpecialNightShifts(cal({ '2026-12-23': [['22:00', '06:00']], '2026-12-24': [['22:00', '06:00']] }));
    expect(two.special).toEqual({
      '2026-12-23': [['22:00', '24:00']],
      '2026-12-24': [
        ['00:00', '06:00'],
        ['22:00', '24:00'],
      ],
      '2026-12-25': [
        ['00:00', '06:00'],
        ['08:00', '16:00'],
      ],
    });
    const both = splitCalendarJsonNightShifts({ timezone: 'Europe/Oslo', week: { ...empty, fri: [['22:00', '06:00']] }, special: { '2026-12-23': [['23:00', '01:00']] } });
    expect(both.week.sat).toEqual([['00:00', '06:00']]);
    expect(both.special).toEqual({ '2026-12-23': [['23:00', '24:00']], '2026-12-24': [['00:00', '01:00']] });
    const invalid = { timezone: 'Mars/Olympus', week: office, special: { '2026-12-23': [['22:00', '06:00']] } };
    expect(splitSpecialNightShifts(invalid)).toBe(invalid);
    const plain = cal({ '2026-12-23': [['08:00', '12:00']] });
    expect(splitSpecialNightShifts(plain)).toBe(plain);
  });
});
