/**
 * Who gets a pop-up (main/alerts/routing.ts) on a fake clock: the person on
 * duty, the backup after N minutes without an ack on the server, everyone
 * who asks for pop-ups; nobody once someone's ack is on the server.
 */
import { describe, expect, it } from 'vitest';
import { AlertRouting } from '../../main/alerts/routing.js';
import type { Alert } from '../../main/alerts/types.js';
import { alertRecord } from '../helpers/alert-record.js';
import { nocRota } from '../helpers/rota.js';

const MIN = 60_000;
const T0 = Date.parse('2026-03-28T21:30:00Z'); // Saturday 22:30 in Oslo: Mette's night shift
const rota = nocRota({ week: [{ day: 'sat', start: '22:00', end: '06:00', person: 'mette', backup: 'ola' }], escalation: { ackMinutes: 10, repeat: 1 } });

const alert = (over: Partial<Alert> = {}): Alert => alertRecord({ dueAt: T0, ...over });

function routing(me: string | null, o: { all?: boolean; ackedAt?: number | null; contract?: string | null } = {}) {
  const steps: string[] = [];
  const r = new AlertRouting({
    me: () => me,
    rotas: () => [{ id: 'r1', rota }],
    ticketsOf: async (ids) => ids.map((ticketId) => ({ ticketId, contractId: o.contract === undefined ? 'c1' : o.contract, assignee: null })),
    ackedOnServer: async (keys) => new Set((o.ackedAt ?? null) === null ? [] : keys),
    recordSteps: (ss) => ss.forEach((s) => steps.push(`${s.step}: ${s.text}`)),
    popupsForAll: () => o.all === true,
  });
  return { decide: async (a: Alert, now: number) => (await r.decide([a], now)).get(a.key), steps };
}

describe('alert routing', () => {
  it('a critical alert pops up for the person on duty at once, for the backup after 10 minutes, for the lead after 20', async () => {
    const mette = routing('mette');
    expect(await mette.decide(alert(), T0)).toEqual({ popup: true, nextAt: null, ackedElsewhere: false });
    expect(mette.steps).toEqual(['0: Alert K7-0001: Response deadline passed: Mette alerted (on duty)']);
    const ola = routing('ola');
    expect(await ola.decide(alert(), T0 + 10 * MIN - 1)).toEqual({ popup: false, nextAt: T0 + 10 * MIN, ackedElsewhere: false });
    expect(await ola.decide(alert(), T0 + 10 * MIN)).toEqual({ popup: true, nextAt: null, ackedElsewhere: false });
    expect(ola.steps).toEqual(['1: Alert K7-0001: Response deadline passed: Ola alerted (backup)']);
    const kari = routing('kari');
    expect((await kari.decide(alert(), T0 + 15 * MIN))?.nextAt).toBe(T0 + 20 * MIN);
    expect((await kari.decide(alert(), T0 + 20 * MIN))?.popup).toBe(true);
  });

  it('an ack on the server stops it everywhere; a warning goes to the person on duty only, unless one asks for pop-ups; tickets no rota covers pop up for all', async () => {
    expect(await routing('ola', { ackedAt: T0 + 5 * MIN }).decide(alert(), T0 + 10 * MIN)).toEqual({ popup: false, nextAt: null, ackedElsewhere: true });
    const warning = alert({ kind: 'response_warning', critical: false, dueAt: T0 + 15 * MIN, key: 'w' });
    expect((await routing('mette').decide(warning, T0))?.popup).toBe(true);
    expect((await routing('ola').decide(warning, T0))?.popup).toBe(false);
    expect((await routing('ola', { all: true }).decide(warning, T0))?.popup).toBe(true);
    expect((await routing('ola', { contract: 'c2' }).decide(warning, T0))?.popup).toBe(true);
    expect((await routing(null).decide(alert(), T0))?.popup).toBe(true);
  });
});
