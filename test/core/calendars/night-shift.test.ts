import { describe, expect, it } from 'vitest';
import { crossesMidnight, splitCalendarNightShifts, splitNightShifts } from '../../../core/calendars/night-shift.js';
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
    const w = splitNightShifts({ ...empty, mon: [['22:00', '06:00'], ['08:00', '16:00']], tue: [['08:00', '16:00']] });
    expect(w.mon).toEqual([['08:00', '16:00'], ['22:00', '24:00']]);
    expect(w.tue).toEqual([['00:00', '06:00'], ['08:00', '16:00']]);
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
