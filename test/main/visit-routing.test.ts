/**
 * A planned visit's "visit due" alert pops up for its assignee (docs/maintenance.md),
 * not for whoever is on duty; the others see it in the Alerts panel.
 */
import { describe, expect, it } from 'vitest';
import { AlertRouting } from '../../main/alerts/routing.js';
import { alertRecord } from '../helpers/alert-record.js';
import { nocRota } from '../helpers/rota.js';

const T0 = Date.parse('2026-03-28T21:30:00Z'); // Saturday 22:30 in Oslo: Mette on duty
const rota = nocRota({
  members: [
    { userId: 'mette', name: 'Mette' },
    { userId: 'u-kari', name: 'Kari' },
  ],
  lead: 'mette',
  week: [{ day: 'sat', start: '22:00', end: '06:00', person: 'mette' }],
  escalation: { ackMinutes: 10, repeat: 1 },
});
const visitDue = alertRecord({ target: 'resolution', kind: 'visit_due', dueAt: T0, critical: false, text: 'Visit due' });

function routing(me: string | null, rotas = [{ id: 'r1', rota }]) {
  const r = new AlertRouting({
    me: () => me,
    rotas: () => rotas,
    ticketsOf: async (ids) => ids.map((ticketId) => ({ ticketId, contractId: 'c1', assignee: 'Kari' })),
    ackedOnServer: async () => new Set<string>(),
    recordSteps: () => 0,
    popupsForAll: () => false,
  });
  return async () => (await r.decide([visitDue], T0)).get(visitDue.key)?.popup;
}

describe('visit due alerts', () => {
  it('pop up for the assignee (by user id or rota name), not for the person on duty', async () => {
    expect(await routing('u-kari')()).toBe(true);
    expect(await routing('mette')()).toBe(false);
    // no rota covers the contract: still the assignee's only
    expect(await routing('mette', [])()).toBe(false);
    expect(await routing('kari', [])()).toBe(true);
    // a device that does not know its user pops everything up, as before
    expect(await routing(null)()).toBe(true);
  });
});
