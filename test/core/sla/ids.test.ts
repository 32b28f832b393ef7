/** Ids from files or the network that every JavaScript object has are refused where contracts enter (issue 14 §1). */
import { describe, expect, it } from 'vitest';
import { checkContract, compileCalendar, loadContract, SlaError } from '../../../core/sla/index.js';
import { splitCalendarNightShifts } from '../../../core/calendars/night-shift.js';
import { sla } from './cli.js';
import { deskMethods } from '../../../core/api/desk.js';
import { MUTATIONS } from '../../../core/sync/mutations.js';

const cal = { timezone: 'Europe/Copenhagen', week: '24x7' };
const pol = (calendar: string) => ({ calendar, targets: { response: { within: { hours: 1 } } } });
/** A contract as it arrives: JSON text, where "__proto__" is an own key. */
const contract = (calId: string, polId: string): unknown =>
  JSON.parse(`{"calendars":{${JSON.stringify(calId)}:${JSON.stringify(cal)}},"policies":{${JSON.stringify(polId)}:${JSON.stringify(pol(calId))}}}`);
const RESERVED = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf'];

describe('checkContract refuses reserved ids', () => {
  for (const id of RESERVED) {
    it(`calendar "${id}"`, () => {
      const issues = checkContract(contract(id, 'p'));
      expect(issues[0]).toMatchObject({ path: `calendars.${id}`, message: expect.stringContaining(`"${id}" cannot be an id`) });
      expect(() => loadContract(contract(id, 'p') as { calendars: unknown; policies: unknown })).toThrow(SlaError);
    });
    it(`policy "${id}"`, () => {
      const issues = checkContract(contract('office', id));
      expect(issues).toMatchObject([{ path: `policies.${id}`, message: expect.stringContaining(`"${id}" cannot be an id`) }]);
      expect(() => loadContract(contract('office', id) as { calendars: unknown; policies: unknown })).toThrow(SlaError);
    });
  }
  it('an empty id', () => expect(checkContract(contract('', 'p'))[0]).toMatchObject({ path: 'calendars[""]', message: 'an id must not be empty', key: 'idEmpty' }));
  it('a standalone calendar whose id is reserved', () => expect(() => compileCalendar({ id: 'constructor', ...cal })).toThrow('id: "constructor" cannot be an id'));
  it('wording that names an inherited name names no policy', () => {
    const c = { ...(contract('office', 'p') as object), wording: { constructor: 'x', 'p.toString': 'y' } };
    expect(checkContract(c).map((i) => i.path)).toEqual(['wording["constructor"]', 'wording["p.toString"]']);
  });
  it('vakt sla check prints the error with its path and exits 1', async () => {
    const r = await sla(
      ['check', '-'],
      JSON.stringify({ calendars: { office: cal }, policies: { p: pol('office') } })
        .replace('"office":{', '"__proto__":{')
        .replace('"calendar":"office"', '"calendar":"__proto__"'),
    );
    expect(r.code).toBe(1);
    expect(r.err).toContain('-: calendars.__proto__: "__proto__" cannot be an id');
  });
});

describe('ids key no plain object in core', () => {
  it('splitting night shifts keeps a calendar filed under any id', () => {
    const calendars = JSON.parse('{"__proto__":{"timezone":"UTC","week":"24x7"},"office":{"timezone":"UTC","week":"24x7"}}') as Record<string, unknown>;
    const out = splitCalendarNightShifts(calendars);
    expect(Object.keys(out)).toEqual(['__proto__', 'office']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });
});

describe('the zod contracts refuse them too (zod would drop a "__proto__" key silently)', () => {
  const policySet = (calId: string): unknown =>
    JSON.parse(`{"calendars":{${JSON.stringify(calId)}:{"timezone":"UTC","week":"24x7"}},"policies":{"p":{"calendar":${JSON.stringify(calId)},"targets":{}}}}`);
  for (const id of ['__proto__', 'constructor']) {
    it(`record.put@1 contract and desk.updateContract with calendar "${id}"`, () => {
      const put = MUTATIONS['record.put@1'].safeParse({ kind: 'contract', id: 'k1', data: { customerId: 'c', agreementNumber: 'A-1', policySet: policySet(id), createdAt: Date.UTC(2026, 0, 1) } });
      expect(put.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([[`data.policySet.calendars.${id}`, expect.stringContaining(`"${id}" cannot be an id`)]]);
      const upd = deskMethods['desk.updateContract'].request.safeParse({ contractId: 'k1', policySet: policySet(id), version: 1 });
      expect(upd.error?.issues.map((i) => i.path.join('.'))).toEqual([`policySet.calendars.${id}`]);
    });
  }
  it('ordinary ids pass', () => {
    expect(deskMethods['desk.updateContract'].request.safeParse({ contractId: 'k1', policySet: policySet('office'), version: 1 }).success).toBe(true);
  });
});
