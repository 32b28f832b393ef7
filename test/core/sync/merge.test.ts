import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeHlc } from '../../../core/ids/hlc.js';
import { formatCaseNumber } from '../../../core/ids/case-number.js';
import { compareHlcStrings, decideFieldEdit, decideStatus, lwwWins, maxHlc, mutationEnvelope, MUTATIONS } from '../../../core/sync/index.js';
import { TICKET_STATUSES } from '../../../core/domain/index.js';

const h = (wall: number, counter = 0, node = 'dev-a') => encodeHlc({ wall, counter, node });

describe('HLC helpers', () => {
  it('orders by wall, counter, then node (device id tie-break)', () => {
    expect(compareHlcStrings(h(1), h(2))).toBeLessThan(0);
    expect(compareHlcStrings(h(2, 1), h(2, 0))).toBeGreaterThan(0);
    expect(compareHlcStrings(h(2, 0, 'a'), h(2, 0, 'b'))).toBeLessThan(0);
    expect(maxHlc(null, h(1))).toBe(h(1));
  });
  it('lwwWins is a total order: exactly one of two distinct stamps wins', () => {
    fc.assert(
      fc.property(fc.nat(1e12), fc.nat(10), fc.constantFrom('a', 'b', 'c'), fc.nat(1e12), fc.nat(10), fc.constantFrom('a', 'b', 'c'), (w1, c1, n1, w2, c2, n2) => {
        const a = h(w1, c1, n1);
        const b = h(w2, c2, n2);
        if (a === b) return;
        expect(lwwWins(a, b) !== lwwWins(b, a)).toBe(true);
      }),
      { seed: 7 },
    );
  });
});

describe('merge rules', () => {
  it('text edits: based on current -> apply; same value -> noop; stale and different -> conflict', () => {
    expect(decideFieldEdit({ value: 'a', hlc: h(1) }, { value: 'b', baseHlc: h(1), hlc: h(2) })).toBe('apply');
    expect(decideFieldEdit({ value: 'a', hlc: h(1) }, { value: 'a', baseHlc: null, hlc: h(2) })).toBe('noop');
    expect(decideFieldEdit({ value: 'a', hlc: h(3) }, { value: 'b', baseHlc: h(1), hlc: h(2) })).toBe('conflict');
    expect(decideFieldEdit({ value: null, hlc: null }, { value: 'b', baseHlc: null, hlc: h(2) })).toBe('apply');
  });
  it('a stale status change never reopens a closed ticket; one made after seeing the close may', () => {
    const closed = { status: 'closed' as const, statusHlc: h(10), statusVersion: 5 };
    expect(decideStatus(closed, { status: 'open', hlc: h(20, 0, 'dev-b'), baseVersion: 4 })).toBe('reject_stale');
    expect(decideStatus(closed, { status: 'open', hlc: h(20), baseVersion: 4 }), 'a device has seen its own close').toBe('apply');
    expect(decideStatus(closed, { status: 'open', hlc: h(20), baseVersion: 5 })).toBe('apply');
    expect(decideStatus(closed, { status: 'closed', hlc: h(5), baseVersion: 0 })).toBe('older');
    expect(decideStatus({ status: 'open', statusHlc: h(10), statusVersion: null }, { status: 'resolved', hlc: h(9), baseVersion: 0 })).toBe('older');
  });
  it('every pair of statuses: a stale change to or from resolved/closed is refused, the rest is last writer wins', () => {
    for (const cur of TICKET_STATUSES) {
      for (const next of TICKET_STATUSES) {
        const t = { status: cur, statusHlc: h(10), statusVersion: 5 };
        const settled = (s: string) => s === 'resolved' || s === 'closed';
        const stale = decideStatus(t, { status: next, hlc: h(20, 0, 'dev-b'), baseVersion: 4 });
        expect(stale, `${cur} -> ${next}, stale`).toBe(next !== cur && (settled(cur) || settled(next)) ? 'reject_stale' : 'apply');
        expect(decideStatus(t, { status: next, hlc: h(20), baseVersion: 5 }), `${cur} -> ${next}, seen`).toBe('apply');
      }
    }
  });
});

describe('schemas', () => {
  it('validates envelopes and payloads', () => {
    const id = '01900000-0000-7000-8000-000000000001';
    expect(mutationEnvelope.safeParse({ id, seq: 1, name: 'ticket.assign', version: 1, hlc: h(1), payload: {} }).success).toBe(true);
    expect(mutationEnvelope.safeParse({ id: 'nope', seq: 1, name: 'x', version: 1, hlc: h(1), payload: {} }).success).toBe(false);
    expect(MUTATIONS['ticket.event@1'].safeParse({ ticketId: id, event: { id, type: 'status', at: Date.UTC(2026, 0, 1), data: {} } }).success).toBe(false);
    expect(MUTATIONS['ticket.event@1'].safeParse({ ticketId: id, event: { id, type: 'status', at: Date.UTC(2026, 0, 1), data: { status: 'closed' } } }).success).toBe(true);
    const good = formatCaseNumber('K7', 1);
    const bad = good.slice(0, -1) + (good.endsWith('0') ? '1' : '0');
    const create = (caseNumber: string) =>
      MUTATIONS['ticket.create@1'].safeParse({ ticketId: id, caseNumber, customerId: 'c', channel: 'phone', createdAt: Date.UTC(2026, 0, 1), createdEventId: id }).success;
    expect(create(good)).toBe(true);
    expect(create(bad)).toBe(false);
  });
});
