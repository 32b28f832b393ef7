/**
 * The on-call rota on a fake clock: shifts over midnight, DST changes in the
 * rota's zone (Europe/Oslo), overrides, handovers, and the escalation chain.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.js';
import { escalationAt, escalationChain } from '../../../core/oncall/escalation.js';
import { duties, handovers, nextOnCall, onCallAt, rotaIssues } from '../../../core/oncall/rota.js';
import type { Rota } from '../../../core/oncall/rota.js';
import { nocRota } from '../../helpers/rota.js';

const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);

// Ola on weekdays 08-16 (Mette his backup), Mette on Saturday night 22-06 (Ola hers).
const rota = (over: Partial<Rota> = {}): Rota =>
  nocRota({
    week: [
      ...(['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, start: '08:00', end: '16:00', person: 'ola', backup: 'mette' })),
      { day: 'sat', start: '22:00', end: '06:00', person: 'mette', backup: 'ola' },
    ],
    ...over,
  });

describe('on-call rota', () => {
  it('a Saturday night shift crosses midnight and is 7 h when clocks go forward, 9 h when they go back', () => {
    const r = rota();
    const clock = new ManualClock(at('2026-03-28T20:59:00Z')); // Sat 21:59 CET
    expect(onCallAt(r, clock.now())).toBeNull();
    expect(nextOnCall(r, clock.now())).toMatchObject({ person: 'mette', from: at('2026-03-28T21:00:00Z'), to: at('2026-03-29T04:00:00Z') });
    clock.advance(60_000); // 22:00 CET
    expect(onCallAt(r, clock.now())).toMatchObject({ person: 'mette', backup: 'ola' });
    clock.set(at('2026-03-29T01:30:00Z')); // 03:30 CEST, after the gap: still Mette, past midnight
    expect(onCallAt(r, clock.now())?.person).toBe('mette');
    clock.set(at('2026-03-29T03:59:59Z')); // 05:59:59 CEST
    expect(onCallAt(r, clock.now())?.person).toBe('mette');
    clock.advance(1_000); // 06:00 CEST: the shift is over, after 7 h
    expect(onCallAt(r, clock.now())).toBeNull();
    const spring = onCallAt(r, at('2026-03-29T00:00:00Z'));
    expect(spring && (spring.to - spring.from) / H).toBe(7);

    const autumn = onCallAt(r, at('2026-10-25T00:30:00Z'));
    expect(autumn).toMatchObject({ person: 'mette', from: at('2026-10-24T20:00:00Z'), to: at('2026-10-25T05:00:00Z') });
    expect(autumn && (autumn.to - autumn.from) / H).toBe(9);
    // Monday after the change: 08:00 CET is 07:00Z (it was 06:00Z the Monday before).
    expect(onCallAt(r, at('2026-10-26T07:00:00Z'))?.person).toBe('ola');
    expect(onCallAt(r, at('2026-10-19T06:00:00Z'))?.person).toBe('ola');
    expect(onCallAt(r, at('2026-10-26T06:59:00Z'))).toBeNull();
  });

  it('a shift ending at 02:30 in the spring-forward gap ends at 03:30 CEST (moved forward by the gap, the SLA engine rule); one ending at 02:30 in the autumn ends at its first 02:30', () => {
    const r = rota({ week: [{ day: 'sat', start: '23:00', end: '02:30', person: 'mette' }] });
    expect(onCallAt(r, at('2026-03-28T23:00:00Z'))).toMatchObject({ from: at('2026-03-28T22:00:00Z'), to: at('2026-03-29T01:30:00Z') });
    expect(onCallAt(r, at('2026-10-24T23:00:00Z'))).toMatchObject({ from: at('2026-10-24T21:00:00Z'), to: at('2026-10-25T00:30:00Z') });
  });

  it('an override ("I take Saturday night for Mette") wins for the time it covers, and the handovers follow it', () => {
    const r = rota({ overrides: [{ date: '2026-03-28', start: '22:00', end: '02:00', person: 'ola', backup: 'kari', note: 'for Mette' }] });
    const clock = new ManualClock(at('2026-03-28T21:30:00Z'));
    expect(onCallAt(r, clock.now())).toMatchObject({ person: 'ola', backup: 'kari', override: true });
    clock.set(at('2026-03-29T00:59:59Z')); // 01:59:59 CET
    expect(onCallAt(r, clock.now())?.person).toBe('ola');
    clock.advance(1_000); // 02:00 CET = 03:00 CEST: back to Mette's pattern shift
    expect(onCallAt(r, clock.now())).toMatchObject({ person: 'mette', override: false, to: at('2026-03-29T04:00:00Z') });
    expect(handovers(r, at('2026-03-28T12:00:00Z'), at('2026-03-29T12:00:00Z')).map((h) => [new Date(h.at).toISOString(), h.from, h.to.person])).toEqual([
      ['2026-03-28T21:00:00.000Z', null, 'ola'],
      ['2026-03-29T01:00:00.000Z', 'ola', 'mette'],
    ]);
    // The week after has no override.
    expect(onCallAt(r, at('2026-04-04T21:30:00Z'))?.person).toBe('mette');
    expect(duties(r, at('2026-03-28T00:00:00Z'), at('2026-03-30T00:00:00Z')).map((d) => d.person)).toEqual(['ola', 'mette']);
  });

  it('names what is wrong: unknown zone, bad times, strangers, overlapping shifts', () => {
    const r = rota({
      timezone: 'Europe/Atlantis',
      week: [
        { day: 'sun', start: '22:00', end: '09:00', person: 'ola' },
        { day: 'mon', start: '08:00', end: '16:00', person: 'nils' },
        { day: 'tue', start: '25:00', end: '16:00', person: 'ola' },
      ],
      overrides: [{ date: '2026-02-30', start: '08:00', end: '09:00', person: 'ola' }],
    });
    expect(rotaIssues(r)).toEqual([
      { path: 'timezone', message: 'must be an IANA time zone such as "Europe/Oslo", got "Europe/Atlantis"' },
      { path: 'week.1.person', message: '"nils" is not a member of the team' },
      { path: 'week.2.start', message: 'must be a wall time "HH:MM" from 00:00 to 23:59, got "25:00"' },
      { path: 'week.1', message: 'overlaps week.0 (sun 22:00-09:00): use an override for a one-off change' },
      { path: 'overrides.0.date', message: 'must be a real date "YYYY-MM-DD", got "2026-02-30"' },
    ]);
    expect(rotaIssues(rota())).toEqual([]);
  });

  it('escalation: on duty, backup, lead, ackMinutes apart, the chain twice; an ack stops it', () => {
    const r = rota();
    const raised = at('2026-03-28T22:00:00Z');
    const chain = escalationChain(r, raised);
    expect(chain).toEqual(['mette', 'ola', 'kari']);
    const p = r.escalation;
    expect(escalationAt(chain, raised, p, null, raised).taken.map((s) => s.person)).toEqual(['mette']);
    expect(escalationAt(chain, raised, p, null, raised + 10 * 60_000 - 1).next).toMatchObject({ person: 'ola', level: 1, at: raised + 10 * 60_000 });
    const later = escalationAt(chain, raised, p, null, raised + 60 * 60_000);
    expect(later.taken.map((s) => `${s.round}:${s.person}`)).toEqual(['0:mette', '0:ola', '0:kari', '1:mette', '1:ola', '1:kari']);
    expect(later.next).toBeNull();
    const acked = escalationAt(chain, raised, p, raised + 9 * 60_000, raised + 60 * 60_000);
    expect(acked.taken.map((s) => s.person)).toEqual(['mette']);
    expect(acked.next).toBeNull();
  });
});
