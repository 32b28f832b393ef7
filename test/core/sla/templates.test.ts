import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTemplates } from '../../../main/tickets/templates.js';
import { sla } from './cli.js';
import { evalCase } from '../../../core/sla/index.js';

describe('shipped templates', () => {
  it('are all valid under checkContract (vakt sla check)', async () => {
    const ts = await loadTemplates();
    expect(ts.map((t) => t.id).sort()).toEqual(['call-types-nl', 'onsite-nbd-no', 'priority-matrix-dk', 'service-levels-no', 'sla-callbacks-dk']);
    for (const t of ts) expect(t.issues, t.file).toEqual([]);
    const r = await sla(['check', ...ts.map((t) => t.file)]);
    expect(r.code).toBe(0);
    expect(r.out.split('\n').filter(Boolean)).toHaveLength(5);
  });
  it('the callback template gives the seed agreement behaviour', async () => {
    const t = (await loadTemplates()).find((x) => x.id === 'sla-callbacks-dk');
    const c = t?.contract as { calendars: unknown; policies: unknown };
    const r = evalCase({
      ...c,
      events: [
        { type: 'created', at: '2026-06-05T18:00:00+02:00', policy: 'critical' },
        { type: 'update_logged', at: '2026-06-05T19:55:00+02:00' },
      ],
      now: '2026-06-06T13:00:00+02:00',
    });
    expect(r).toMatchObject({ targets: [{ metric: 'update', dueAt: '2026-06-06T13:55:00.000Z', missed: 1, breached: true }] });
  });
});

describe('vakt sla (CLI)', () => {
  it('eval streams JSON lines, one result per line in order; a bad line gets an error result', async () => {
    const good = JSON.stringify({
      id: 'a',
      calendars: { c: { timezone: 'Europe/Oslo', week: '24x7' } },
      policies: { p: { calendar: 'c', targets: { response: { within: { minutes: 30 } } } } },
      events: [{ type: 'created', at: '2026-06-08T10:00:00Z', policy: 'p' }],
      now: '2026-06-08T10:10:00Z',
    });
    const r = await sla(['eval'], `${good}\n{oops\n\n${good.replace('"a"', '"b"')}\n`);
    const lines = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(r.code).toBe(0);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ id: 'a', targets: [{ metric: 'response', dueAt: '2026-06-08T10:30:00.000Z', elapsedMinutes: 10, remainingMinutes: 20 }] });
    expect(lines[1]).toMatchObject({ error: { code: 'invalid_json', message: expect.stringContaining('line 2') } });
    expect(lines[2]).toMatchObject({ id: 'b' });
  });
  it('eval --explain adds traces', async () => {
    const c = JSON.stringify({
      calendars: { c: { timezone: 'Europe/Oslo', week: '24x7' } },
      policies: { p: { calendar: 'c', targets: { response: { within: { minutes: 30 } } } } },
      events: [{ type: 'created', at: '2026-06-08T10:00:00Z', policy: 'p' }],
      now: '2026-06-08T10:10:00Z',
    });
    const r = await sla(['eval', '--explain'], c + '\n');
    expect((JSON.parse(r.out) as { targets: { trace: unknown[] }[] }).targets[0]?.trace).toContainEqual({
      kind: 'counted',
      from: '2026-06-08T10:00:00.000Z',
      to: '2026-06-08T10:10:00.000Z',
      minutes: 10,
    });
  });
  it('check prints each error with its path and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vakt-sla-'));
    const f = join(dir, 'bad.json');
    writeFileSync(
      f,
      JSON.stringify({
        calendars: {
          c: {
            timezone: 'Europe/Oslo',
            week: {
              mon: [
                ['08:00', '16:00'],
                ['15:00', '17:00'],
              ],
              tue: [],
              wed: [],
              thu: [],
              fri: [],
              sat: [],
              sun: [],
            },
          },
        },
        policies: { p: { calendar: 'd', targets: {} } },
      }),
    );
    const r = await sla(['check', f]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('calendars.c.week.mon[1]: overlaps [08:00,16:00)');
    expect(r.err).toContain('policies.p.calendar: unknown calendar "d"');
  });
  it('has help for sla, sla eval and sla check', async () => {
    expect((await sla(['--help'])).out).toContain('vakt sla <command>');
    expect((await sla(['eval', '--help'])).out).toContain('--explain');
    expect((await sla(['check', '--help'])).out).toContain('vakt sla check FILE');
    expect((await sla(['frobnicate'])).code).toBe(2);
  });
});
