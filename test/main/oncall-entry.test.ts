/**
 * A rota is checked where the request enters (docs/architecture.md "Where input is validated"):
 * `oncall.put`'s schema runs `rotaIssues` (the zone, wall times, members, overlapping shifts), so
 * every problem comes back at its field, through the real dispatcher and store, and nothing is stored.
 */
import { describe, expect, it } from 'vitest';
import type { RotaShift } from '../../core/oncall/rota.js';
import { servicesPerTest } from '../helpers/services.js';

const h = servicesPerTest();

const rota = (week: RotaShift[], timezone = 'Europe/Oslo') => ({
  name: 'NOC',
  timezone,
  members: [
    { userId: 'u-mette', name: 'Mette' },
    { userId: 'u-ola', name: 'Ola' },
  ],
  lead: null,
  contractIds: [],
  week,
  overrides: [],
});

describe('oncall.put checks the rota at the entry', () => {
  it('refuses a bad rota with every problem at its field, and stores nothing', async () => {
    const r = await h.t.services.dispatch('oncall.put', {
      rota: rota(
        [
          { day: 'mon', start: '08:00', end: '16:00', person: 'u-mette' },
          { day: 'mon', start: '12:00', end: '20:00', person: 'u-kari' },
        ],
        'Europe/Nowhere',
      ),
    });
    expect(r.ok).toBe(false);
    const error = (r as { ok: false; error: { code: string; path?: string; issues?: { path: string; message: string }[] } }).error;
    expect(error).toMatchObject({ code: 'invalid_request', path: 'rota.timezone' });
    expect(error.issues?.map((i) => i.path)).toEqual(['rota.timezone', 'rota.week[1].person', 'rota.week[1]']);
    expect(error.issues?.[2]?.message).toMatch(/^overlaps week\.0 \(mon 08:00-16:00\)/);
    expect((await h.call('oncall.list', {})).rotas).toEqual([]);
  });

  it('stores a good rota', async () => {
    const saved = await h.call('oncall.put', { rota: rota([{ day: 'mon', start: '08:00', end: '16:00', person: 'u-mette', backup: 'u-ola' }]) });
    expect(saved.rota.week).toHaveLength(1);
    expect((await h.call('oncall.list', {})).rotas).toHaveLength(1);
  });
});
