/**
 * Team NOC's rota, the one the on-call tests share (core/oncall/rota.ts): Mette, Ola and Kari (the lead)
 * in Europe/Oslo, covering contract c1, escalating after 10 minutes without an ack, twice; no shift and no
 * override. `over` gives each test its week and what else differs.
 */
import type { Rota } from '../../core/oncall/rota.js';

/** Mette, Ola and Kari: user id `idPrefix` + the name in lower case. */
export const nocMembers = (idPrefix = ''): Rota['members'] => ['Mette', 'Ola', 'Kari'].map((name) => ({ userId: idPrefix + name.toLowerCase(), name }));

export function nocRota(over: Partial<Rota> = {}): Rota {
  return {
    name: 'NOC',
    timezone: 'Europe/Oslo',
    members: nocMembers(),
    lead: 'kari',
    contractIds: ['c1'],
    week: [],
    overrides: [],
    escalation: { ackMinutes: 10, repeat: 2 },
    ...over,
  };
}
